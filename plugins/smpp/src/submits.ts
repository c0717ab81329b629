/**
 * @module
 * submit_sm bodies for a planned SMS: one per part, each asking for a delivery receipt, the
 * concatenation carried as the connector is configured to.
 */
import { createHash } from 'node:crypto'
import type { Address } from './addresses.js'
import type { ConcatMode, SmsPlan } from './encoding/segment.js'
import { concatUdh } from './encoding/udh.js'
import { ESM_CLASS, TLV } from './pdu/commands.js'
import { tlv } from './pdu/tlv.js'
import { type ShortMessageFields, shortMessageDefaults } from './pdu/types.js'

export interface SubmitInput {
  plan: SmsPlan
  source: Address
  destination: Address
  mode: ConcatMode
  /** Concatenation reference; derive it with `concatRef` so a retried message keeps it. */
  ref: number
  registeredDelivery: boolean
}

export function buildSubmits(input: SubmitInput): ShortMessageFields[] {
  const { plan, source, destination, mode, ref } = input
  const total = plan.parts.length
  const base: ShortMessageFields = {
    ...shortMessageDefaults(),
    sourceAddrTon: source.ton,
    sourceAddrNpi: source.npi,
    sourceAddr: source.addr,
    destAddrTon: destination.ton,
    destAddrNpi: destination.npi,
    destinationAddr: destination.addr,
    // Final receipt, success or failure (bit 0); every part asks, so a part's failure is seen.
    registeredDelivery: input.registeredDelivery ? 0x01 : 0x00,
    dataCoding: plan.dataCoding,
  }
  if (mode === 'payload') {
    const payload = Buffer.concat(plan.parts)
    return [{ ...base, tlvs: [tlv.bytes(TLV.message_payload, payload)] }]
  }
  if (total === 1) return [{ ...base, shortMessage: plan.parts[0] as Buffer }]
  return plan.parts.map((part, i) => {
    const concat = { ref, total, seq: i + 1 }
    if (mode === 'sar') {
      return {
        ...base,
        shortMessage: part,
        tlvs: [
          tlv.uint16(TLV.sar_msg_ref_num, ref & 0xffff),
          tlv.uint8(TLV.sar_total_segments, total),
          tlv.uint8(TLV.sar_segment_seqnum, i + 1),
        ],
      }
    }
    const udh = concatUdh(concat, mode === 'udh16' ? 16 : 8)
    return { ...base, esmClass: ESM_CLASS.UDHI, shortMessage: Buffer.concat([udh, part]) }
  })
}

/**
 * A concatenation reference derived from the message's idempotency key: the same on every retry
 * and replica, so parts sent by a later attempt join the ones an earlier attempt sent.
 */
export function concatRef(idempotencyKey: string, mode: ConcatMode): number {
  const digest = createHash('sha256').update(idempotencyKey).digest()
  return mode === 'udh8' ? (digest[0] as number) : digest.readUInt16BE(0)
}
