import type { PDU } from 'smpp'
import type { SmscMessage, SmscSubmit } from './types.js'

interface DecodedMessage {
  udh?: Buffer[]
  message?: string | Buffer
}

/** The fields of a submit_sm as the `smpp` package decoded them. */
export function describeSubmit(
  pdu: PDU,
  ids: { messageId: string; systemId: string; sessionId: number },
): SmscSubmit {
  const short = pdu.short_message as DecodedMessage | Buffer | undefined
  const payload = pdu.message_payload as DecodedMessage | Buffer | undefined
  const fromShort = textOf(short)
  const usePayload = fromShort === '' && payload !== undefined
  const concat = udhConcat(short) ?? sarConcat(pdu)
  return {
    ...ids,
    source: String(pdu.source_addr ?? ''),
    sourceTon: Number(pdu.source_addr_ton ?? 0),
    destination: String(pdu.destination_addr ?? ''),
    destinationTon: Number(pdu.dest_addr_ton ?? 0),
    dataCoding: Number(pdu.data_coding ?? 0),
    esmClass: Number(pdu.esm_class ?? 0),
    registeredDelivery: Number(pdu.registered_delivery ?? 0),
    text: usePayload ? textOf(payload) : fromShort,
    ...(concat ? { concat } : {}),
    payload: usePayload,
    at: Date.now(),
  }
}

function textOf(value: DecodedMessage | Buffer | undefined): string {
  if (value === undefined) return ''
  if (Buffer.isBuffer(value)) return value.toString('latin1')
  const message = value.message
  if (message === undefined) return ''
  return Buffer.isBuffer(message) ? message.toString('latin1') : message
}

function udhConcat(value: DecodedMessage | Buffer | undefined): SmscSubmit['concat'] {
  if (value === undefined || Buffer.isBuffer(value) || !value.udh) return undefined
  for (const element of value.udh) {
    if (element[0] === 0x00 && element[1] === 3) {
      return {
        ref: element[2] as number,
        total: element[3] as number,
        seq: element[4] as number,
        bits: 8,
      }
    }
    if (element[0] === 0x08 && element[1] === 4) {
      return {
        ref: element.readUInt16BE(2),
        total: element[4] as number,
        seq: element[5] as number,
        bits: 16,
      }
    }
  }
  return undefined
}

function sarConcat(pdu: PDU): SmscSubmit['concat'] {
  const ref = pdu.sar_msg_ref_num
  const total = pdu.sar_total_segments
  const seq = pdu.sar_segment_seqnum
  if (typeof ref !== 'number' || typeof total !== 'number' || typeof seq !== 'number')
    return undefined
  return { ref, total, seq, bits: 0 }
}

/** MT messages rebuilt from accepted parts; a part sent twice counts once here. */
export function assembleMessages(submits: readonly SmscSubmit[]): SmscMessage[] {
  const messages: SmscMessage[] = []
  const groups = new Map<string, Map<number, SmscSubmit>>()
  for (const submit of submits) {
    if (!submit.concat || submit.concat.total <= 1) {
      messages.push({
        destination: submit.destination,
        source: submit.source,
        text: submit.text,
        dataCoding: submit.dataCoding,
        parts: [submit],
      })
      continue
    }
    const key = `${submit.source}\u0000${submit.destination}\u0000${submit.concat.ref}\u0000${submit.concat.total}`
    let group = groups.get(key)
    if (!group) {
      group = new Map()
      groups.set(key, group)
    }
    if (!group.has(submit.concat.seq)) group.set(submit.concat.seq, submit)
    if (group.size === submit.concat.total) {
      const parts = [...group.values()].sort((a, b) => (a.concat?.seq ?? 0) - (b.concat?.seq ?? 0))
      groups.delete(key)
      messages.push({
        destination: submit.destination,
        source: submit.source,
        text: parts.map((p) => p.text).join(''),
        dataCoding: submit.dataCoding,
        parts,
      })
    }
  }
  return messages
}

/** Parts the SMSC accepted more than once: same addresses, text and concatenation. */
export function findDuplicates(
  submits: readonly SmscSubmit[],
): { key: string; count: number; messageIds: string[] }[] {
  const seen = new Map<string, string[]>()
  for (const s of submits) {
    const c = s.concat
    const key = `${s.source}>${s.destination} ${c ? `${c.ref}/${c.seq}/${c.total} ` : ''}${s.text}`
    seen.set(key, [...(seen.get(key) ?? []), s.messageId])
  }
  return [...seen.entries()]
    .filter(([, ids]) => ids.length > 1)
    .map(([key, messageIds]) => ({ key, count: messageIds.length, messageIds }))
}
