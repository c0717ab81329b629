/**
 * @module
 * User data headers for concatenated messages (3GPP TS 23.040 §9.2.3.24.1 and .8): information
 * element 0x00 with an 8-bit reference, 0x08 with a 16-bit one.
 */

export interface Concat {
  ref: number
  total: number
  /** 1-based part number. */
  seq: number
}

export type RefBits = 8 | 16

const IEI_CONCAT_8 = 0x00
const IEI_CONCAT_16 = 0x08

/** The whole UDH (length octet included) announcing part `seq` of `total`. */
export function concatUdh(concat: Concat, bits: RefBits): Buffer {
  if (bits === 8) {
    return Buffer.from([0x05, IEI_CONCAT_8, 0x03, concat.ref & 0xff, concat.total, concat.seq])
  }
  return Buffer.from([
    0x06,
    IEI_CONCAT_16,
    0x04,
    (concat.ref >> 8) & 0xff,
    concat.ref & 0xff,
    concat.total,
    concat.seq,
  ])
}

export interface SplitUserData {
  /** The UDH without its length octet; empty when there is none. */
  udh: Buffer
  body: Buffer
  concat: Concat | undefined
}

/**
 * Separates the UDH from the text of user data that has UDHI set and finds a concatenation
 * element. A UDH longer than the data is treated as absent, so a broken header cannot eat a message.
 */
export function splitUserData(data: Buffer): SplitUserData {
  const udhLength = data[0]
  if (udhLength === undefined || 1 + udhLength > data.length) {
    return { udh: Buffer.alloc(0), body: data, concat: undefined }
  }
  const udh = data.subarray(1, 1 + udhLength)
  return { udh, body: data.subarray(1 + udhLength), concat: findConcat(udh) }
}

function findConcat(udh: Buffer): Concat | undefined {
  let o = 0
  while (o + 2 <= udh.length) {
    const iei = udh[o] as number
    const length = udh[o + 1] as number
    const value = udh.subarray(o + 2, o + 2 + length)
    if (value.length < length) return undefined
    if (iei === IEI_CONCAT_8 && length === 3) {
      return valid({ ref: value[0] as number, total: value[1] as number, seq: value[2] as number })
    }
    if (iei === IEI_CONCAT_16 && length === 4) {
      return valid({
        ref: value.readUInt16BE(0),
        total: value[2] as number,
        seq: value[3] as number,
      })
    }
    o += 2 + length
  }
  return undefined
}

function valid(concat: Concat): Concat | undefined {
  // 23.040: a total of 0 or a part number outside 1..total means "ignore this element".
  if (concat.total === 0 || concat.seq === 0 || concat.seq > concat.total) return undefined
  return concat
}
