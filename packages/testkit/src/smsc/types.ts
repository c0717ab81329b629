/** Final states a simulated receipt can report (the `stat:` field of the receipt text). */
export type ReceiptState =
  | 'DELIVRD'
  | 'UNDELIV'
  | 'EXPIRED'
  | 'REJECTD'
  | 'DELETED'
  | 'UNKNOWN'
  | 'ACCEPTD'
  | 'ENROUTE'

export type BindType = 'transmitter' | 'receiver' | 'transceiver'

/** A submit_sm the simulator accepted, decoded by the `smpp` package (an independent codec). */
export interface SmscSubmit {
  messageId: string
  systemId: string
  /** Which connection it came on (1, 2, …). */
  sessionId: number
  source: string
  sourceTon: number
  destination: string
  destinationTon: number
  dataCoding: number
  esmClass: number
  registeredDelivery: number
  /** The text of this part, UDH removed. */
  text: string
  /** Concatenation from the UDH (`bits` 8 or 16) or from sar_* TLVs (`bits` 0). */
  concat?: { ref: number; total: number; seq: number; bits: 0 | 8 | 16 }
  /** The text came in message_payload rather than short_message. */
  payload: boolean
  at: number
}

/** A submit_sm the simulator answered with an error. */
export interface SmscRejection {
  systemId: string
  destination: string
  text: string
  status: number
  reason: 'throttled' | 'failNext' | 'not-bound' | 'discarded'
}

export interface SmscBind {
  systemId: string
  type: BindType
  /** command_status of the answer: 0 bound, else the refusal. */
  status: number
  sessionId: number
  at: number
}

/** One deliver_sm (a receipt or a customer message) and how the bound client answered it. */
export interface SmscDelivery {
  kind: 'receipt' | 'mo'
  systemId: string
  sessionId: number
  /** The receipted message id, or the MO's `from`. */
  ref: string
  /** command_status of the client's deliver_sm_resp; undefined while unanswered. */
  status: number | undefined
  attempt: number
}

/** An MT message reassembled from its parts. */
export interface SmscMessage {
  destination: string
  source: string
  text: string
  dataCoding: number
  parts: SmscSubmit[]
}
