import { decodeGsm7 } from './gsm7.js'

export type Alphabet = 'gsm7' | 'ucs2' | 'ascii' | 'latin1'

/** data_coding the connector sends: SMSC default (GSM 03.38) or UCS2, always set explicitly. */
export const DATA_CODING = { GSM7: 0x00, UCS2: 0x08 } as const

/**
 * The alphabet of an incoming data_coding (SMPP 3.4 §5.2.19 and the GSM 03.38 coding groups).
 * 8-bit data is read as Latin-1, so nothing is lost and the bytes stay visible.
 */
export function alphabetOf(dataCoding: number): Alphabet {
  switch (dataCoding) {
    case 0x00:
      return 'gsm7'
    case 0x01:
      return 'ascii'
    case 0x08:
      return 'ucs2'
    case 0x03:
      return 'latin1'
  }
  const group = dataCoding & 0xf0
  // 00xx xxxx: general data coding; bits 3–2 give the alphabet.
  if (dataCoding >= 0x10 && dataCoding < 0x40) return generalAlphabet(dataCoding)
  if (group === 0xc0 || group === 0xd0) return 'gsm7'
  if (group === 0xe0) return 'ucs2'
  if (group === 0xf0) return (dataCoding & 0x04) === 0 ? 'gsm7' : 'latin1'
  return 'latin1'
}

function generalAlphabet(dataCoding: number): Alphabet {
  const bits = dataCoding & 0x0c
  if (bits === 0x00) return 'gsm7'
  if (bits === 0x08) return 'ucs2'
  return 'latin1'
}

/** UTF-16BE bytes of `text`: UCS2 as handsets read it, surrogate pairs included. */
export function encodeUcs2(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16()
}

export function decodeUcs2(bytes: Uint8Array): string {
  const even = bytes.length - (bytes.length % 2)
  const copy = Buffer.from(bytes.subarray(0, even))
  return copy.swap16().toString('utf16le')
}

export function decodeText(bytes: Uint8Array, dataCoding: number): string {
  switch (alphabetOf(dataCoding)) {
    case 'gsm7':
      return decodeGsm7(bytes)
    case 'ucs2':
      return decodeUcs2(bytes)
    case 'ascii':
      return Buffer.from(bytes).toString('ascii')
    default:
      return Buffer.from(bytes).toString('latin1')
  }
}
