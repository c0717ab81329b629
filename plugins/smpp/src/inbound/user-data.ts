import { type Concat, splitUserData } from '../encoding/udh.js'
import { ESM_CLASS, TLV } from '../pdu/commands.js'
import { findTlv, tlvInt } from '../pdu/tlv.js'
import type { ShortMessageFields } from '../pdu/types.js'

export interface UserData {
  /** The coded text, without UDH. */
  body: Buffer
  dataCoding: number
  /** Set for one part of a concatenated message (UDH, or sar_* TLVs). */
  concat: Concat | undefined
}

/** The text bytes and concatenation info of an incoming short message. */
export function userData(pdu: ShortMessageFields): UserData {
  const payload = findTlv(pdu.tlvs, TLV.message_payload)
  const data = pdu.shortMessage.length === 0 && payload ? payload : pdu.shortMessage
  if ((pdu.esmClass & ESM_CLASS.UDHI) !== 0) {
    const split = splitUserData(data)
    return { body: split.body, dataCoding: pdu.dataCoding, concat: split.concat ?? sar(pdu) }
  }
  return { body: data, dataCoding: pdu.dataCoding, concat: sar(pdu) }
}

function sar(pdu: ShortMessageFields): Concat | undefined {
  const ref = tlvInt(pdu.tlvs, TLV.sar_msg_ref_num)
  const total = tlvInt(pdu.tlvs, TLV.sar_total_segments)
  const seq = tlvInt(pdu.tlvs, TLV.sar_segment_seqnum)
  if (ref === undefined || total === undefined || seq === undefined) return undefined
  if (total < 1 || seq < 1 || seq > total) return undefined
  return { ref, total, seq }
}
