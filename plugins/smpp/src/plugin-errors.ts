import { PluginError } from '@plugboard/sdk'
import { isSmppError } from './errors.js'
import {
  isCredentialStatus,
  isThrottleStatus,
  isTransientStatus,
  statusName,
} from './pdu/status.js'

const TERMINAL_CODES = new Set([
  'SMPP_NO_TRANSMITTER',
  'SMPP_MESSAGE_TOO_LONG',
  'SMPP_INVALID_ADDRESS',
  'SMPP_FIELD_TOO_LONG',
])

/**
 * What the host should do about a failed send. Credentials refused: `auth` (the message waits for
 * a config change). A status the SMSC gives for a passing condition, and every link problem:
 * `retryable`. A status that fails the same way every time, or a message that cannot be encoded:
 * `terminal`, reported to CCM with the ESME_* name as reason.
 */
export function toPluginError(error: unknown, throttlePauseMs: number): unknown {
  if (!isSmppError(error)) return error
  const status = error.status
  const providerCode = status === undefined ? undefined : statusName(status)
  const options = { cause: error, ...(providerCode ? { providerCode } : {}) }
  if (error.code === 'SMPP_BIND_REFUSED' && status !== undefined && isCredentialStatus(status)) {
    return PluginError.auth('SMPP_BIND_REFUSED', error.message, options)
  }
  if (TERMINAL_CODES.has(error.code))
    return PluginError.terminal(error.code, error.message, options)
  if (error.code === 'SMPP_REJECTED' && status !== undefined && !isTransientStatus(status)) {
    return PluginError.terminal('SMPP_REJECTED', error.message, options)
  }
  const retryAfterMs =
    status !== undefined && isThrottleStatus(status) ? throttlePauseMs : undefined
  return PluginError.retryable(error.code, error.message, {
    ...options,
    ...(retryAfterMs ? { retryAfterMs } : {}),
  })
}
