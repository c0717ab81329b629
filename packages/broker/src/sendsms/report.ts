import type { StatusChange } from '@plugboard/core'
import type { SendSmsOrigin } from './origin.js'

/**
 * The delivery report of one status change of a SendSms, published to the delivery queue and
 * pushed to the CRM. CCM does not document a format; this one carries what the brief names (the
 * app's id, the number, the status, the provider's id, the error) plus what ties it to our logs.
 */
export interface DeliveryReport {
  type: 'SmsDeliveryReport'
  /** The `id` the app gave in its SendSms; null when it gave none. */
  id: string | null
  number: string
  /** queued | sent | delivered | read | failed; only ever moves forward. */
  status: StatusChange['status']
  providerMessageId: string | null
  error: { code: string | null; reason: string | null } | null
  /** The CIM id the host gave the message. */
  messageId: string
  /** The from-number (the SMS channel's serviceIdentifier). */
  from: string
  connector: string
  timestamp: string
}

export function toReport(change: StatusChange, origin: SendSmsOrigin): DeliveryReport {
  const failed = change.status === 'failed'
  return {
    type: 'SmsDeliveryReport',
    id: origin.appId,
    number: origin.number,
    status: change.status,
    providerMessageId: change.providerMessageId ?? null,
    error:
      failed || change.reasonCode || change.reason
        ? { code: change.reasonCode ?? null, reason: change.reason ?? null }
        : null,
    messageId: change.messageId,
    from: change.serviceIdentifier,
    connector: change.connectorId,
    timestamp: new Date().toISOString(),
  }
}
