/**
 * @module
 * Chooses the coding of an outbound text and splits it into parts. GSM 03.38 when every
 * character fits (extension characters count two septets), UCS2 otherwise. Parts are cut between
 * characters, so an escape sequence or a surrogate pair is never split across two parts.
 */
import { smppError } from '../errors.js'
import { DATA_CODING, encodeUcs2 } from './alphabet.js'
import { encodeGsm7, gsm7Septets, isGsm7 } from './gsm7.js'

/**
 * How a long text is carried: concatenation UDH with an 8- or 16-bit reference, the sar_* TLVs
 * (the SMSC builds the UDH), or the whole text in one message_payload TLV (the SMSC splits).
 */
export type ConcatMode = 'udh8' | 'udh16' | 'sar' | 'payload'

export interface SmsPlan {
  alphabet: 'gsm7' | 'ucs2'
  dataCoding: number
  /** Coded text of each part, without any UDH. */
  parts: Buffer[]
  /** The characters of each part, for logs and tests. */
  texts: string[]
}

export interface PlanOptions {
  mode?: ConcatMode
  /** Refuse texts needing more parts; at most 255 (the UDH counts parts in one octet). */
  maxParts?: number
}

const SINGLE = { gsm7: 160, ucs2: 70 } as const
// Per-part capacity once a UDH takes 6 (8-bit ref) or 7 (16-bit ref) octets of the 140. With
// sar_* the SMSC picks the reference size, so leave room for the larger one.
const PER_PART = {
  udh8: { gsm7: 153, ucs2: 67 },
  udh16: { gsm7: 152, ucs2: 66 },
  sar: { gsm7: 152, ucs2: 66 },
} as const

/** The coding and parts for `text`. Throws SMPP_MESSAGE_TOO_LONG beyond `maxParts`. */
export function planSms(text: string, options: PlanOptions = {}): SmsPlan {
  const mode = options.mode ?? 'udh8'
  const maxParts = Math.min(options.maxParts ?? 255, 255)
  const alphabet = isGsm7(text) ? 'gsm7' : 'ucs2'
  const cost = alphabet === 'gsm7' ? gsmCost : ucs2Cost
  const encode = alphabet === 'gsm7' ? encodeGsm7 : encodeUcs2
  const dataCoding = alphabet === 'gsm7' ? DATA_CODING.GSM7 : DATA_CODING.UCS2

  let total = 0
  for (const char of text) total += cost(char)
  const texts =
    mode === 'payload' || total <= SINGLE[alphabet]
      ? [text]
      : split(text, PER_PART[mode][alphabet], cost)
  if (texts.length > maxParts) {
    throw smppError(
      'SMPP_MESSAGE_TOO_LONG',
      `the text needs ${texts.length} SMS parts (${total} ${alphabet === 'gsm7' ? 'septets' : 'UCS2 units'}); this connector allows ${maxParts}: shorten it or raise SMPP-MAX-PARTS`,
    )
  }
  return { alphabet, dataCoding, parts: texts.map(encode), texts }
}

function split(text: string, capacity: number, cost: (char: string) => number): string[] {
  const parts: string[] = []
  let current = ''
  let used = 0
  // for…of walks code points: a surrogate pair arrives whole, as does an extension character.
  for (const char of text) {
    const n = cost(char)
    if (used + n > capacity) {
      parts.push(current)
      current = ''
      used = 0
    }
    current += char
    used += n
  }
  parts.push(current)
  return parts
}

function gsmCost(char: string): number {
  return gsm7Septets(char) ?? 1
}

function ucs2Cost(char: string): number {
  return char.length
}
