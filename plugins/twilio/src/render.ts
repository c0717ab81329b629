/**
 * @module
 * Plain-text renderings of CIM bodies Twilio cannot carry as such (buttons, cards, contacts),
 * so an agent's message reaches the customer in a readable form instead of being dropped.
 */
import type { Button, CarouselElement, Contact } from '@plugboard/sdk'

/** Text followed by the options numbered, one a line: WhatsApp free-form has no buttons. */
export function numberedOptions(
  textBefore: string | undefined,
  buttons: readonly Button[],
): string {
  const options = buttons
    .map((b) => nonEmpty(b.title) ?? nonEmpty(b.payload))
    .filter((t): t is string => t !== undefined)
    .map((title, i) => `${i + 1}. ${title}`)
  return join([textBefore, options.join('\n')], '\n\n')
}

/** A point as text with a map link, for SMS (WhatsApp gets a native location). */
export function locationText(
  latitude: number,
  longitude: number,
  label: string | undefined,
): string {
  const link = `https://maps.google.com/?q=${latitude},${longitude}`
  return join([label, link], '\n')
}

export function contactsText(contacts: readonly Contact[]): string {
  return contacts
    .map((c) => {
      const name = nonEmpty(c.name?.formattedName)
      const phones = (c.phones ?? []).map((p) => nonEmpty(p.phone)).filter(Boolean)
      return join([name, phones.join(', ')], ': ')
    })
    .filter((line) => line !== '')
    .join('\n')
}

export function carouselText(
  textBefore: string | undefined,
  elements: readonly CarouselElement[],
): string {
  const cards = elements.map((e) => {
    const buttons = (e.buttons ?? [])
      .map((b) => nonEmpty(b.title))
      .filter((t): t is string => t !== undefined)
      .map((t) => `- ${t}`)
    return join([nonEmpty(e.text), nonEmpty(e.url), buttons.join('\n')], '\n')
  })
  return join([textBefore, ...cards], '\n\n')
}

export function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined
}

function join(parts: ReadonlyArray<string | undefined>, separator: string): string {
  return parts.filter((p): p is string => p !== undefined && p !== '').join(separator)
}
