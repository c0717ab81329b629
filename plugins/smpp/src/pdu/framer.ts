import { smppError } from '../errors.js'
import { HEADER_LENGTH } from './codec.js'

/** Largest PDU accepted from a peer: a full short message plus generous TLVs. */
export const DEFAULT_MAX_PDU_LENGTH = 64 * 1024

export interface Framer {
  /** Adds bytes from the socket; returns every PDU completed by them, in order. */
  push(chunk: Buffer): Buffer[]
  /** Octets held for a PDU that is not complete yet. */
  readonly buffered: number
}

/**
 * Cuts a TCP byte stream into PDUs by command_length. A length below the header size or above
 * `maxLength` cannot be resynchronised from, so it throws and the link must be dropped.
 */
export function createFramer(maxLength = DEFAULT_MAX_PDU_LENGTH): Framer {
  let pending: Buffer = Buffer.alloc(0)
  return {
    push(chunk) {
      let data = pending.length === 0 ? chunk : Buffer.concat([pending, chunk])
      const frames: Buffer[] = []
      let offset = 0
      while (data.length - offset >= 4) {
        const length = data.readUInt32BE(offset)
        if (length < HEADER_LENGTH || length > maxLength) {
          pending = Buffer.alloc(0)
          throw smppError(
            'SMPP_PDU_INVALID',
            `command_length ${length} is outside ${HEADER_LENGTH}..${maxLength}; the stream cannot be resynchronised`,
          )
        }
        if (data.length - offset < length) break
        frames.push(data.subarray(offset, offset + length))
        offset += length
      }
      data = data.subarray(offset)
      // Copy a short remainder so a large socket chunk is not kept alive by a few bytes.
      pending = data.length === 0 ? Buffer.alloc(0) : Buffer.from(data)
      return frames
    },
    get buffered() {
      return pending.length
    },
  }
}
