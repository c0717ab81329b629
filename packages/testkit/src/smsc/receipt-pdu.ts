import type { ReceiptState, SmscSubmit } from './types.js'

const MESSAGE_STATE: Record<ReceiptState, number> = {
  ENROUTE: 1,
  DELIVRD: 2,
  EXPIRED: 3,
  UNDELIV: 5,
  ACCEPTD: 6,
  UNKNOWN: 7,
  REJECTD: 8,
  DELETED: 4,
}

export interface ReceiptFormat {
  /** Add receipted_message_id and message_state TLVs (default true). */
  tlvs?: boolean
  /** The id in the receipt text: as submit_sm_resp gave it, or that hex id in decimal. */
  idFormat?: 'same' | 'decimal'
  /** Code the text as UCS2 (data_coding 8), as some SMSCs do. */
  ucs2?: boolean
}

/** deliver_sm options (for the `smpp` package) of a receipt in the SMPP 3.4 Appendix B format. */
export function receiptPdu(
  submit: SmscSubmit,
  state: ReceiptState,
  format: ReceiptFormat,
): Record<string, unknown> {
  const id =
    format.idFormat === 'decimal' ? BigInt(`0x${submit.messageId}`).toString(10) : submit.messageId
  const now = stamp(new Date())
  const delivered = state === 'DELIVRD' ? '001' : '000'
  const err = state === 'DELIVRD' || state === 'ACCEPTD' || state === 'ENROUTE' ? '000' : '001'
  const preview = submit.text.replace(/[^A-Za-z0-9 .,!?]/g, '?').slice(0, 20)
  const text = `id:${id} sub:001 dlvrd:${delivered} submit date:${now} done date:${now} stat:${state} err:${err} text:${preview}`
  return {
    source_addr_ton: submit.destinationTon,
    source_addr_npi: 1,
    source_addr: submit.destination,
    dest_addr_ton: submit.sourceTon,
    dest_addr_npi: 1,
    destination_addr: submit.source,
    esm_class: 0x04,
    data_coding: format.ucs2 ? 0x08 : 0x00,
    short_message: text,
    ...(format.tlvs === false
      ? {}
      : { receipted_message_id: submit.messageId, message_state: MESSAGE_STATE[state] }),
  }
}

function stamp(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0')
  return (
    two(date.getUTCFullYear() % 100) +
    two(date.getUTCMonth() + 1) +
    two(date.getUTCDate()) +
    two(date.getUTCHours()) +
    two(date.getUTCMinutes())
  )
}
