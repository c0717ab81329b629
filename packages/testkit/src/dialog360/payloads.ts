/**
 * @module
 * Webhook bodies as 360dialog posts them (specs/providers.md §2.3): the Cloud API envelope
 * `{object, entry: [{id, changes: [{field: "messages", value}]}]}`, or the older On-Premise body
 * with `messages[]`/`statuses[]` at the top.
 */
import type { Dialog360Channel } from './types.js'

export type WebhookShape = 'cloud' | 'on-premise'

/** What one webhook reports: customer messages with their senders' profiles, or statuses. */
export interface WebhookValue {
  contacts?: Array<{ profile: { name: string }; wa_id: string }>
  messages?: Record<string, unknown>[]
  statuses?: Record<string, unknown>[]
  errors?: Record<string, unknown>[]
}

export function webhookBody(
  channel: Dialog360Channel,
  value: WebhookValue,
  shape: WebhookShape,
): Record<string, unknown> {
  if (shape === 'on-premise') return { ...value }
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: channel.wabaId,
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: {
                display_phone_number: channel.phoneNumber,
                phone_number_id: channel.phoneNumberId,
              },
              ...value,
            },
            field: 'messages',
          },
        ],
      },
    ],
  }
}

/** Seconds since the epoch, as a string, as WhatsApp writes timestamps. */
export function unixTime(date = new Date()): string {
  return String(Math.floor(date.getTime() / 1000))
}

export type SimulatedStatus = 'sent' | 'delivered' | 'read' | 'failed' | 'played' | 'deleted'

/** One step of a status sequence: a status, or a failure with WhatsApp's error. */
export type StatusStep =
  | SimulatedStatus
  | { status: SimulatedStatus; code?: number; title?: string; details?: string }

/** A `statuses[]` entry for a message the simulator accepted. */
export function statusEvent(
  messageId: string,
  recipient: string,
  step: StatusStep,
): Record<string, unknown> {
  const { status, code, title, details } = typeof step === 'string' ? { status: step } : step
  const event: Record<string, unknown> = {
    id: messageId,
    status,
    timestamp: unixTime(),
    recipient_id: recipient,
  }
  if (status === 'sent' || status === 'delivered') {
    event.conversation = {
      id: `conv-${messageId.slice(-12)}`,
      origin: { type: 'service' },
    }
    event.pricing = { billable: true, pricing_model: 'PMP', category: 'service' }
  }
  if (status === 'failed') {
    const errorCode = code ?? 131026
    const errorTitle =
      title ?? (errorCode === 131047 ? 'Re-engagement message' : 'Message undeliverable')
    event.errors = [
      {
        code: errorCode,
        title: errorTitle,
        message: errorTitle,
        error_data: { details: details ?? errorTitle },
      },
    ]
  }
  return event
}
