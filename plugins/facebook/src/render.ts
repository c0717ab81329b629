/**
 * @module
 * Plain-text renderings of CIM bodies Messenger cannot carry as such, so an agent's message
 * reaches the customer in a readable form instead of being dropped.
 */
import type { Button, Contact } from '@plugboard/sdk'

/** Messenger's limit for `message.text`, in characters. */
export const TEXT_LIMIT = 2000

export function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined
}

export function join(parts: ReadonlyArray<string | undefined>, separator: string): string {
  return parts.filter((p): p is string => p !== undefined && p !== '').join(separator)
}

/**
 * Splits a text into pieces of at most `limit` characters (code points, so no emoji is cut in
 * half), at the last line break or space of a piece when there is one in its second half.
 */
export function splitText(text: string, limit = TEXT_LIMIT): string[] {
  const chars = Array.from(text)
  if (chars.length <= limit) return [text]
  const pieces: string[] = []
  let start = 0
  while (chars.length - start > limit) {
    let end = start + limit
    for (let i = end - 1; i > start + limit / 2; i--) {
      if (chars[i] === '\n' || chars[i] === ' ') {
        end = i + 1
        break
      }
    }
    pieces.push(chars.slice(start, end).join('').trimEnd())
    start = end
  }
  pieces.push(chars.slice(start).join(''))
  return pieces.filter((p) => p !== '')
}

/** Text followed by the options numbered, one a line; links are written out. */
export function numberedOptions(
  textBefore: string | undefined,
  buttons: readonly Button[],
): string {
  const options = buttons
    .map((b) => {
      const title = nonEmpty(b.title) ?? nonEmpty(b.payload)
      const url = buttonUrl(b)
      if (title === undefined) return url
      return url && url !== title ? `${title}: ${url}` : title
    })
    .filter((t): t is string => t !== undefined)
    .map((title, i) => `${i + 1}. ${title}`)
  return join([textBefore, options.join('\n')], '\n\n')
}

/** A point as text with a map link: Messenger pages cannot send locations. */
export function locationText(
  latitude: number,
  longitude: number,
  label: string | undefined,
  address: string | undefined,
): string {
  return join([label, address, `https://maps.google.com/?q=${latitude},${longitude}`], '\n')
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

const URL_TYPES: ReadonlySet<string> = new Set(['url', 'web_url', 'weburl', 'link'])
const PHONE_TYPES: ReadonlySet<string> = new Set(['phone', 'phone_number', 'call'])

/** The link of a URL button: `additionalButtonDetails.url`, else the payload of a `url` button. */
export function buttonUrl(button: Button): string | undefined {
  const detail = nonEmpty(button.additionalButtonDetails?.url)
  if (detail) return detail
  const type = button.type?.toLowerCase() ?? ''
  return URL_TYPES.has(type) ? nonEmpty(button.payload) : undefined
}

/** True for a call button (`type` phone, phone_number or call). */
export function isPhoneButton(button: Button): boolean {
  return PHONE_TYPES.has(button.type?.toLowerCase() ?? '')
}
