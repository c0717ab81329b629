/**
 * @module
 * Text versions of CIM bodies WhatsApp cannot carry as they are (too many buttons, carousels), so
 * an agent's message reaches the customer readable rather than not at all.
 */
import type { CarouselElement, Contact } from '@plugboard/sdk'

/** The intro, then the options numbered one a line; the customer answers with a number or the text. */
export function numberedOptions(intro: string | undefined, titles: readonly string[]): string {
  const options = titles.map((title, i) => `${i + 1}. ${title}`).join('\n')
  return joinParts([intro, options], '\n\n')
}

export function contactsText(contacts: readonly Contact[]): string {
  return contacts
    .map((c) => {
      const phones = (c.phones ?? []).map((p) => nonEmpty(p.phone)).filter(Boolean)
      return joinParts([nonEmpty(c.name?.formattedName), phones.join(', ')], ': ')
    })
    .filter((line) => line !== '')
    .join('\n')
}

export function carouselText(
  intro: string | undefined,
  elements: readonly CarouselElement[],
): string {
  const cards = elements.map((e) => {
    const buttons = (e.buttons ?? [])
      .map((b) => nonEmpty(b.title))
      .filter((t): t is string => t !== undefined)
      .map((t) => `- ${t}`)
    return joinParts([nonEmpty(e.text), nonEmpty(e.url), buttons.join('\n')], '\n')
  })
  return joinParts([intro, ...cards], '\n\n')
}

/** The string when it has more than blanks, else undefined. */
export function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined
}

/** Length as WhatsApp counts it: characters, not UTF-16 units. */
export function chars(value: string): number {
  return [...value].length
}

/** Cuts to `max` characters, marking the cut with an ellipsis. */
export function cut(value: string, max: number): string {
  const all = [...value]
  return all.length <= max ? value : `${all.slice(0, max - 1).join('')}…`
}

function joinParts(parts: ReadonlyArray<string | undefined>, separator: string): string {
  return parts.filter((p): p is string => p !== undefined && p !== '').join(separator)
}
