/**
 * @module
 * Reads a delivery receipt from a deliver_sm: the receipted_message_id and message_state TLVs
 * when present (they are authoritative), else the de-facto text format of SMPP 3.4 Appendix B:
 * `id:… sub:… dlvrd:… submit date:… done date:… stat:… err:… text:…`.
 */
import { alphabetOf, decodeUcs2 } from '../encoding/alphabet.js'
import { splitUserData } from '../encoding/udh.js'
import { ESM_CLASS, TLV } from '../pdu/commands.js'
import { findTlv, tlvInt, tlvString } from '../pdu/tlv.js'
import type { ShortMessageFields } from '../pdu/types.js'

export type ReceiptState =
  | 'SCHEDLD'
  | 'ENROUTE'
  | 'DELIVRD'
  | 'EXPIRED'
  | 'DELETED'
  | 'UNDELIV'
  | 'ACCEPTD'
  | 'UNKNOWN'
  | 'REJECTD'
  | 'SKIPPED'

export interface DeliveryReceipt {
  /** The SMSC's message id, as the receipt gives it. */
  messageId: string
  state: ReceiptState
  /** The `err:` field, or the network_error_code TLV as `<type>:<code>`. */
  error?: string
  /** Where id and state came from. */
  source: 'tlv' | 'text' | 'mixed'
}

// message_state TLV values (§5.3.2.35), in order.
const TLV_STATES: readonly ReceiptState[] = [
  'SCHEDLD',
  'ENROUTE',
  'DELIVRD',
  'EXPIRED',
  'DELETED',
  'UNDELIV',
  'ACCEPTD',
  'UNKNOWN',
  'REJECTD',
  'SKIPPED',
]

const TEXT_STATES: Record<string, ReceiptState> = {
  DELIVRD: 'DELIVRD',
  DELIVERED: 'DELIVRD',
  EXPIRED: 'EXPIRED',
  DELETED: 'DELETED',
  UNDELIV: 'UNDELIV',
  UNDELIVERABLE: 'UNDELIV',
  ACCEPTD: 'ACCEPTD',
  ACCEPTED: 'ACCEPTD',
  UNKNOWN: 'UNKNOWN',
  REJECTD: 'REJECTD',
  REJECTED: 'REJECTD',
  ENROUTE: 'ENROUTE',
  SCHEDLD: 'SCHEDLD',
  SCHEDULED: 'SCHEDLD',
  SKIPPED: 'SKIPPED',
}

/** True for a deliver_sm that carries a receipt rather than a customer message. */
export function isReceipt(pdu: Pick<ShortMessageFields, 'esmClass' | 'tlvs'>): boolean {
  const type = pdu.esmClass & ESM_CLASS.TYPE_MASK
  if (type === ESM_CLASS.DELIVERY_RECEIPT || type === ESM_CLASS.INTERMEDIATE_NOTIFICATION) {
    return true
  }
  // Some SMSCs leave esm_class at 0 but do send the receipt TLVs.
  return (
    type === 0 &&
    findTlv(pdu.tlvs, TLV.receipted_message_id) !== undefined &&
    findTlv(pdu.tlvs, TLV.message_state) !== undefined
  )
}

/** The receipt in `pdu`, or undefined when neither TLVs nor text give an id and a state. */
export function parseReceipt(pdu: ShortMessageFields): DeliveryReceipt | undefined {
  const text = receiptText(pdu)
  const field = (name: string) => new RegExp(`(?:^|\\s)${name}:\\s*(\\S+)`, 'i').exec(text)?.[1]

  const tlvId = tlvString(pdu.tlvs, TLV.receipted_message_id)?.trim()
  const tlvState = tlvInt(pdu.tlvs, TLV.message_state)
  const textId = field('id')
  const textState = field('stat')?.toUpperCase()

  const messageId = tlvId || textId
  const state =
    (tlvState !== undefined ? TLV_STATES[tlvState] : undefined) ??
    (textState ? TEXT_STATES[textState] : undefined)
  if (!messageId || !state) return undefined

  const network = findTlv(pdu.tlvs, TLV.network_error_code)
  const textError = field('err')
  const error =
    network && network.length === 3
      ? `${network[0]}:${network.readUInt16BE(1)}`
      : textError && !/^0+$/.test(textError)
        ? textError
        : undefined

  const fromTlv = Boolean(tlvId) && tlvState !== undefined
  const fromText = !tlvId && tlvState === undefined
  return {
    messageId,
    state,
    ...(error ? { error } : {}),
    source: fromTlv ? 'tlv' : fromText ? 'text' : 'mixed',
  }
}

/** Receipt text, decoded by data_coding; machine text, so anything but UCS2 is read as Latin-1. */
function receiptText(pdu: ShortMessageFields): string {
  let data: Buffer = pdu.shortMessage
  if (data.length === 0) data = findTlv(pdu.tlvs, TLV.message_payload) ?? data
  if ((pdu.esmClass & ESM_CLASS.UDHI) !== 0) data = splitUserData(data).body
  return alphabetOf(pdu.dataCoding) === 'ucs2' ? decodeUcs2(data) : data.toString('latin1')
}
