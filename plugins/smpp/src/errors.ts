import { describeStatus } from './pdu/status.js'

export type SmppErrorCode =
  | 'SMPP_CONNECT_FAILED'
  | 'SMPP_CONNECT_TIMEOUT'
  | 'SMPP_BIND_REFUSED'
  | 'SMPP_BIND_TIMEOUT'
  | 'SMPP_LINK_LOST'
  | 'SMPP_LINK_DEAD'
  | 'SMPP_NOT_BOUND'
  | 'SMPP_RESPONSE_TIMEOUT'
  | 'SMPP_QUEUE_TIMEOUT'
  | 'SMPP_CLOSED'
  | 'SMPP_REJECTED'
  | 'SMPP_NO_TRANSMITTER'
  | 'SMPP_PDU_INVALID'
  | 'SMPP_FIELD_TOO_LONG'
  | 'SMPP_MESSAGE_TOO_LONG'
  | 'SMPP_INVALID_ADDRESS'

export interface SmppErrorDetails {
  /** command_status the SMSC answered with, when it answered. */
  status?: number
  /**
   * The request was written to the link but no answer came back: the SMSC may or may not have
   * taken it, so sending it again can duplicate it.
   */
  ambiguous?: boolean
  cause?: unknown
}

export interface SmppError extends Error {
  readonly name: 'SmppError'
  readonly code: SmppErrorCode
  readonly status: number | undefined
  readonly ambiguous: boolean
}

export function smppError(
  code: SmppErrorCode,
  message: string,
  details: SmppErrorDetails = {},
): SmppError {
  const error = new Error(
    message,
    details.cause === undefined ? undefined : { cause: details.cause },
  ) as Error & {
    name: string
    code: SmppErrorCode
    status: number | undefined
    ambiguous: boolean
  }
  error.name = 'SmppError'
  error.code = code
  error.status = details.status
  error.ambiguous = details.ambiguous ?? false
  return error as SmppError
}

export function isSmppError(error: unknown): error is SmppError {
  return error instanceof Error && error.name === 'SmppError' && 'code' in error
}

/** The error for a response whose command_status is not ESME_ROK. */
export function statusError(command: string, status: number, fix?: string): SmppError {
  const code = command.startsWith('bind_') ? 'SMPP_BIND_REFUSED' : 'SMPP_REJECTED'
  const suffix = fix ? `; ${fix}` : ''
  return smppError(code, `${command} refused with ${describeStatus(status)}${suffix}`, {
    status,
  })
}
