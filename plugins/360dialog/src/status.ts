import type { ReceiptStatus, ReceiptUpdate } from '@plugboard/sdk'
import type { WaError, WaStatus } from './payloads.js'

/**
 * WhatsApp's message statuses as the host's receipt statuses. `undefined`: not a delivery status
 * (`deleted`, `warning`) or one this version does not know.
 */
export function receiptStatus(status: string): ReceiptStatus | undefined {
  switch (status.toLowerCase()) {
    case 'sent':
      return 'sent'
    case 'delivered':
      return 'delivered'
    case 'read':
    // A voice message was listened to, which implies read.
    case 'played':
      return 'read'
    case 'failed':
      return 'failed'
    default:
      return undefined
  }
}

/** The receipt for a status event, or undefined when the status says nothing about delivery. */
export function receiptOf(s: WaStatus): ReceiptUpdate | undefined {
  const status = receiptStatus(s.status)
  if (status === undefined) return undefined
  if (status !== 'failed') return { providerMessageId: s.id, status }
  const error = s.errors?.[0]
  return {
    providerMessageId: s.id,
    status,
    reasonCode: error?.code === undefined ? 'failed' : String(error.code),
    reason: describeError(error) ?? 'WhatsApp reported the message as failed',
  }
}

/** The most telling text of a WhatsApp error. */
export function describeError(error: WaError | undefined): string | undefined {
  if (!error) return undefined
  const details = error.error_data?.details ?? error.details
  const head = error.title ?? error.message
  if (head && details && details !== head) return `${head}: ${details}`
  return head ?? details
}
