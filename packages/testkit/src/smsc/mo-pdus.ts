import smpp from 'smpp'

export interface MoInput {
  /** The customer's number (source_addr). */
  from: string
  /** The number the customer wrote to (destination_addr). */
  to: string
  text: string
  /** Split into this many parts, or into exactly these texts; default one part. */
  parts?: number | string[]
  /** How parts are tied together (default `udh8`). */
  concat?: 'udh8' | 'udh16' | 'sar'
  /** GSM 03.38 (data_coding 0) or UCS2 (8); default GSM when the text allows it. */
  encoding?: 'gsm' | 'ucs2'
  /** Concatenation reference; default a fresh one. */
  ref?: number
  /** Deliver the parts last-first, as a network may. */
  reverse?: boolean
}

let nextRef = 17

/** deliver_sm options (for the `smpp` package) of a customer message, one per part. */
export function moPdus(input: MoInput): Record<string, unknown>[] {
  const texts = Array.isArray(input.parts) ? input.parts : splitText(input.text, input.parts ?? 1)
  const ucs2 =
    input.encoding === 'ucs2' ||
    (input.encoding === undefined && !smpp.encodings.ASCII.match(input.text))
  const concat = input.concat ?? 'udh8'
  const ref = input.ref ?? nextRef++
  const base = {
    source_addr_ton: 1,
    source_addr_npi: 1,
    source_addr: input.from,
    dest_addr_ton: 1,
    dest_addr_npi: 1,
    destination_addr: input.to,
    esm_class: 0,
    data_coding: ucs2 ? 0x08 : 0x00,
  }
  const total = texts.length
  const pdus = texts.map((text, i) => {
    if (total === 1) return { ...base, short_message: text }
    if (concat === 'sar') {
      return {
        ...base,
        short_message: text,
        sar_msg_ref_num: ref & 0xffff,
        sar_total_segments: total,
        sar_segment_seqnum: i + 1,
      }
    }
    const udh =
      concat === 'udh16'
        ? Buffer.from([0x06, 0x08, 0x04, (ref >> 8) & 0xff, ref & 0xff, total, i + 1])
        : Buffer.from([0x05, 0x00, 0x03, ref & 0xff, total, i + 1])
    return { ...base, short_message: { udh, message: text } }
  })
  return input.reverse ? pdus.reverse() : pdus
}

/** `text` in `n` pieces of near-equal length, cut between code points. */
function splitText(text: string, n: number): string[] {
  const chars = [...text]
  const size = Math.ceil(chars.length / n)
  return Array.from({ length: n }, (_, i) => chars.slice(i * size, (i + 1) * size).join('')).filter(
    (part, i) => part !== '' || i === 0,
  )
}
