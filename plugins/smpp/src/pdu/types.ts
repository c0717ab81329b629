/**
 * @module
 * Typed SMPP 3.4 PDUs: the few commands a connector needs, plus `unknown` for the rest so a
 * peer's unexpected request can still be answered with generic_nack.
 */

/** An optional parameter (TLV) as it was on the wire. */
export interface Tlv {
  tag: number
  value: Buffer
}

export type BindCommand = 'bind_transmitter' | 'bind_receiver' | 'bind_transceiver'
export type BindRespCommand = `${BindCommand}_resp`

interface PduBase {
  sequence: number
  /** command_status; 0 in requests. */
  status: number
}

export interface BindPdu extends PduBase {
  command: BindCommand
  systemId: string
  password: string
  systemType: string
  interfaceVersion: number
  addrTon: number
  addrNpi: number
  addressRange: string
}

export interface BindRespPdu extends PduBase {
  command: BindRespCommand
  systemId: string
  tlvs: Tlv[]
}

/** The body submit_sm and deliver_sm share (§4.4.1, §4.6.1). */
export interface ShortMessageFields {
  serviceType: string
  sourceAddrTon: number
  sourceAddrNpi: number
  sourceAddr: string
  destAddrTon: number
  destAddrNpi: number
  destinationAddr: string
  esmClass: number
  protocolId: number
  priorityFlag: number
  scheduleDeliveryTime: string
  validityPeriod: string
  registeredDelivery: number
  replaceIfPresentFlag: number
  dataCoding: number
  smDefaultMsgId: number
  /** User data, UDH included when esm_class has UDHI; sm_length is its length. */
  shortMessage: Buffer
  tlvs: Tlv[]
}

export interface SubmitSmPdu extends PduBase, ShortMessageFields {
  command: 'submit_sm'
}

export interface DeliverSmPdu extends PduBase, ShortMessageFields {
  command: 'deliver_sm'
}

export interface MessageIdRespPdu extends PduBase {
  command: 'submit_sm_resp' | 'deliver_sm_resp'
  messageId: string
}

export interface EmptyPdu extends PduBase {
  command: 'enquire_link' | 'enquire_link_resp' | 'unbind' | 'unbind_resp' | 'generic_nack'
}

/** A command this codec does not model; kept raw so it can be answered. */
export interface UnknownPdu extends PduBase {
  command: 'unknown'
  commandId: number
  body: Buffer
}

export type Pdu =
  | BindPdu
  | BindRespPdu
  | SubmitSmPdu
  | DeliverSmPdu
  | MessageIdRespPdu
  | EmptyPdu
  | UnknownPdu

/** The defaults of a short message body: everything zero or empty. */
export function shortMessageDefaults(): ShortMessageFields {
  return {
    serviceType: '',
    sourceAddrTon: 0,
    sourceAddrNpi: 0,
    sourceAddr: '',
    destAddrTon: 0,
    destAddrNpi: 0,
    destinationAddr: '',
    esmClass: 0,
    protocolId: 0,
    priorityFlag: 0,
    scheduleDeliveryTime: '',
    validityPeriod: '',
    registeredDelivery: 0,
    replaceIfPresentFlag: 0,
    dataCoding: 0,
    smDefaultMsgId: 0,
    shortMessage: Buffer.alloc(0),
    tlvs: [],
  }
}
