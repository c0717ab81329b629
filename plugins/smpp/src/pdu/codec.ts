/**
 * @module
 * Encodes and decodes SMPP 3.4 PDUs (header, C-octet strings, integers, TLVs). Strings on the
 * wire are ASCII; user data travels as bytes in `shortMessage` and is coded elsewhere.
 */
import { smppError } from '../errors.js'
import { COMMAND_IDS, commandName, INTERFACE_VERSION_34 } from './commands.js'
import type {
  BindCommand,
  BindPdu,
  BindRespCommand,
  Pdu,
  ShortMessageFields,
  Tlv,
} from './types.js'

export const HEADER_LENGTH = 16
/** Longest short_message the one-octet sm_length allows (§5.2.21); longer goes in message_payload. */
export const MAX_SHORT_MESSAGE = 254

// Maximum C-octet string lengths including the terminating NUL (§5.2). Credentials are not
// limited here: some SMSCs accept more than the specification's 9/16 octets.
const MAX = {
  service_type: 6,
  source_addr: 21,
  destination_addr: 21,
  schedule_delivery_time: 17,
  validity_period: 17,
  message_id: 65,
  address_range: 41,
} as const

const BIND_COMMANDS = new Set<string>(['bind_transmitter', 'bind_receiver', 'bind_transceiver'])

// ---------------------------------------------------------------------------------------------
// Encoding

/** The PDU's bytes, command_length included. */
export function encodePdu(pdu: Pdu): Buffer {
  const commandId = pdu.command === 'unknown' ? pdu.commandId : (COMMAND_IDS[pdu.command] as number)
  switch (pdu.command) {
    case 'bind_transmitter':
    case 'bind_receiver':
    case 'bind_transceiver': {
      const w = writer(
        HEADER_LENGTH +
          cLen(pdu.systemId) +
          cLen(pdu.password) +
          cLen(pdu.systemType) +
          3 +
          cLen(pdu.addressRange, MAX.address_range, 'address_range'),
      )
      w.header(commandId, pdu.status, pdu.sequence)
      w.cstring(pdu.systemId)
      w.cstring(pdu.password)
      w.cstring(pdu.systemType)
      w.uint8(pdu.interfaceVersion)
      w.uint8(pdu.addrTon)
      w.uint8(pdu.addrNpi)
      w.cstring(pdu.addressRange)
      return w.done()
    }
    case 'bind_transmitter_resp':
    case 'bind_receiver_resp':
    case 'bind_transceiver_resp': {
      const w = writer(HEADER_LENGTH + cLen(pdu.systemId) + tlvsLength(pdu.tlvs))
      w.header(commandId, pdu.status, pdu.sequence)
      w.cstring(pdu.systemId)
      w.tlvs(pdu.tlvs)
      return w.done()
    }
    case 'submit_sm':
    case 'deliver_sm':
      return encodeShortMessage(commandId, pdu.status, pdu.sequence, pdu)
    case 'submit_sm_resp':
    case 'deliver_sm_resp': {
      const w = writer(HEADER_LENGTH + cLen(pdu.messageId, MAX.message_id, 'message_id'))
      w.header(commandId, pdu.status, pdu.sequence)
      w.cstring(pdu.messageId)
      return w.done()
    }
    case 'unknown': {
      const w = writer(HEADER_LENGTH + pdu.body.length)
      w.header(commandId, pdu.status, pdu.sequence)
      w.bytes(pdu.body)
      return w.done()
    }
    default: {
      const w = writer(HEADER_LENGTH)
      w.header(commandId, pdu.status, pdu.sequence)
      return w.done()
    }
  }
}

function encodeShortMessage(
  commandId: number,
  status: number,
  sequence: number,
  sm: ShortMessageFields,
): Buffer {
  if (sm.shortMessage.length > MAX_SHORT_MESSAGE) {
    throw smppError(
      'SMPP_FIELD_TOO_LONG',
      `short_message is ${sm.shortMessage.length} octets; SMPP allows ${MAX_SHORT_MESSAGE} (split the text or use message_payload)`,
    )
  }
  const w = writer(
    HEADER_LENGTH +
      cLen(sm.serviceType, MAX.service_type, 'service_type') +
      2 +
      cLen(sm.sourceAddr, MAX.source_addr, 'source_addr') +
      2 +
      cLen(sm.destinationAddr, MAX.destination_addr, 'destination_addr') +
      3 +
      cLen(sm.scheduleDeliveryTime, MAX.schedule_delivery_time, 'schedule_delivery_time') +
      cLen(sm.validityPeriod, MAX.validity_period, 'validity_period') +
      5 +
      sm.shortMessage.length +
      tlvsLength(sm.tlvs),
  )
  w.header(commandId, status, sequence)
  w.cstring(sm.serviceType)
  w.uint8(sm.sourceAddrTon)
  w.uint8(sm.sourceAddrNpi)
  w.cstring(sm.sourceAddr)
  w.uint8(sm.destAddrTon)
  w.uint8(sm.destAddrNpi)
  w.cstring(sm.destinationAddr)
  w.uint8(sm.esmClass)
  w.uint8(sm.protocolId)
  w.uint8(sm.priorityFlag)
  w.cstring(sm.scheduleDeliveryTime)
  w.cstring(sm.validityPeriod)
  w.uint8(sm.registeredDelivery)
  w.uint8(sm.replaceIfPresentFlag)
  w.uint8(sm.dataCoding)
  w.uint8(sm.smDefaultMsgId)
  w.uint8(sm.shortMessage.length)
  w.bytes(sm.shortMessage)
  w.tlvs(sm.tlvs)
  return w.done()
}

function cLen(value: string, max?: number, field?: string): number {
  const length = value.length + 1
  if (max !== undefined && length > max) {
    throw smppError(
      'SMPP_FIELD_TOO_LONG',
      `${field} '${value}' is ${value.length} characters; SMPP 3.4 allows ${max - 1}`,
    )
  }
  return length
}

function tlvsLength(tlvs: readonly Tlv[]): number {
  let total = 0
  for (const t of tlvs) total += 4 + t.value.length
  return total
}

function writer(length: number) {
  const buf = Buffer.allocUnsafe(length)
  let o = 0
  return {
    header(commandId: number, status: number, sequence: number) {
      buf.writeUInt32BE(length, 0)
      buf.writeUInt32BE(commandId >>> 0, 4)
      buf.writeUInt32BE(status >>> 0, 8)
      buf.writeUInt32BE(sequence >>> 0, 12)
      o = HEADER_LENGTH
    },
    uint8(value: number) {
      buf[o++] = value & 0xff
    },
    cstring(value: string) {
      o += buf.write(value, o, 'latin1')
      buf[o++] = 0
    },
    bytes(value: Uint8Array) {
      buf.set(value, o)
      o += value.length
    },
    tlvs(tlvs: readonly Tlv[]) {
      for (const t of tlvs) {
        buf.writeUInt16BE(t.tag, o)
        buf.writeUInt16BE(t.value.length, o + 2)
        buf.set(t.value, o + 4)
        o += 4 + t.value.length
      }
    },
    done(): Buffer {
      if (o !== length) throw new Error(`PDU encoder wrote ${o} of ${length} octets`)
      return buf
    },
  }
}

// ---------------------------------------------------------------------------------------------
// Decoding

/** Reads one whole PDU (as cut by the framer). Throws `SMPP_PDU_INVALID` when it is malformed. */
export function decodePdu(buf: Buffer): Pdu {
  if (buf.length < HEADER_LENGTH) throw invalid(`a PDU of ${buf.length} octets has no header`)
  const length = buf.readUInt32BE(0)
  if (length !== buf.length) throw invalid(`command_length ${length} but ${buf.length} octets`)
  const commandId = buf.readUInt32BE(4)
  const status = buf.readUInt32BE(8)
  const sequence = buf.readUInt32BE(12)
  const r = reader(buf, commandName(commandId))
  const name = commandName(commandId)

  if (BIND_COMMANDS.has(name)) {
    return {
      command: name as BindCommand,
      sequence,
      status,
      systemId: r.cstring(),
      password: r.cstring(),
      systemType: r.cstring(),
      interfaceVersion: r.uint8(INTERFACE_VERSION_34),
      addrTon: r.uint8(0),
      addrNpi: r.uint8(0),
      addressRange: r.cstring(),
    } satisfies BindPdu
  }
  switch (name) {
    case 'bind_transmitter_resp':
    case 'bind_receiver_resp':
    case 'bind_transceiver_resp':
      // An error answer often has no body at all.
      return {
        command: name as BindRespCommand,
        sequence,
        status,
        systemId: r.cstring(),
        tlvs: r.tlvs(),
      }
    case 'submit_sm':
    case 'deliver_sm':
      return { command: name, sequence, status, ...readShortMessage(r) }
    case 'submit_sm_resp':
    case 'deliver_sm_resp':
      return { command: name, sequence, status, messageId: r.cstring() }
    case 'enquire_link':
    case 'enquire_link_resp':
    case 'unbind':
    case 'unbind_resp':
    case 'generic_nack':
      return { command: name, sequence, status }
    default:
      return {
        command: 'unknown',
        commandId,
        sequence,
        status,
        body: buf.subarray(HEADER_LENGTH),
      }
  }
}

function readShortMessage(r: Reader): ShortMessageFields {
  const fields = {
    serviceType: r.cstring(),
    sourceAddrTon: r.uint8(0),
    sourceAddrNpi: r.uint8(0),
    sourceAddr: r.cstring(),
    destAddrTon: r.uint8(0),
    destAddrNpi: r.uint8(0),
    destinationAddr: r.cstring(),
    esmClass: r.uint8(0),
    protocolId: r.uint8(0),
    priorityFlag: r.uint8(0),
    scheduleDeliveryTime: r.cstring(),
    validityPeriod: r.cstring(),
    registeredDelivery: r.uint8(0),
    replaceIfPresentFlag: r.uint8(0),
    dataCoding: r.uint8(0),
    smDefaultMsgId: r.uint8(0),
  }
  const smLength = r.uint8(0)
  const shortMessage = r.bytes(smLength)
  return { ...fields, shortMessage, tlvs: r.tlvs() }
}

type Reader = ReturnType<typeof reader>

function reader(buf: Buffer, command: string) {
  let o = HEADER_LENGTH
  const end = buf.length
  return {
    /** Missing trailing fields read as `fallback`: SMSCs trim bodies of error answers. */
    uint8(fallback: number): number {
      if (o >= end) return fallback
      return buf[o++] as number
    },
    cstring(): string {
      if (o >= end) return ''
      const nul = buf.indexOf(0, o)
      // A string running to the end of the PDU lacks its NUL; accept it rather than drop the link.
      const stop = nul === -1 || nul >= end ? end : nul
      const value = buf.toString('latin1', o, stop)
      o = stop === end ? end : stop + 1
      return value
    },
    bytes(length: number): Buffer {
      if (o + length > end) {
        throw invalid(`${command}: sm_length ${length} runs past the end of the PDU`)
      }
      const value = buf.subarray(o, o + length)
      o += length
      return value
    },
    tlvs(): Tlv[] {
      const tlvs: Tlv[] = []
      while (o + 4 <= end) {
        const tag = buf.readUInt16BE(o)
        const length = buf.readUInt16BE(o + 2)
        if (o + 4 + length > end) {
          throw invalid(`${command}: TLV 0x${tag.toString(16)} of ${length} octets is truncated`)
        }
        tlvs.push({ tag, value: buf.subarray(o + 4, o + 4 + length) })
        o += 4 + length
      }
      return tlvs
    },
  }
}

function invalid(message: string) {
  return smppError('SMPP_PDU_INVALID', `malformed PDU: ${message}`)
}
