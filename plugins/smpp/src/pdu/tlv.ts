import type { Tlv } from './types.js'

/** TLV builders and readers; integers are big-endian as everywhere in SMPP. */
export const tlv = {
  uint8: (tag: number, value: number): Tlv => ({ tag, value: Buffer.from([value & 0xff]) }),
  uint16: (tag: number, value: number): Tlv => {
    const buf = Buffer.alloc(2)
    buf.writeUInt16BE(value & 0xffff)
    return { tag, value: buf }
  },
  cstring: (tag: number, value: string): Tlv => ({
    tag,
    value: Buffer.concat([Buffer.from(value, 'latin1'), Buffer.from([0])]),
  }),
  bytes: (tag: number, value: Uint8Array): Tlv => ({ tag, value: Buffer.from(value) }),
}

export function findTlv(tlvs: readonly Tlv[], tag: number): Buffer | undefined {
  for (const t of tlvs) if (t.tag === tag) return t.value
  return undefined
}

/** An unsigned integer TLV of 1, 2 or 4 octets; undefined when absent or of another size. */
export function tlvInt(tlvs: readonly Tlv[], tag: number): number | undefined {
  const value = findTlv(tlvs, tag)
  if (!value) return undefined
  if (value.length === 1) return value[0]
  if (value.length === 2) return value.readUInt16BE(0)
  if (value.length === 4) return value.readUInt32BE(0)
  return undefined
}

/** A C-octet string TLV; tolerates a missing terminator, which some SMSCs leave out. */
export function tlvString(tlvs: readonly Tlv[], tag: number): string | undefined {
  const value = findTlv(tlvs, tag)
  if (!value) return undefined
  const end = value.indexOf(0)
  return value.toString('latin1', 0, end === -1 ? value.length : end)
}
