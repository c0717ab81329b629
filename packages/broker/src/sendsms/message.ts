import { createHash, randomUUID } from 'node:crypto'
import { type CimMessage, inboundMessage, text } from '@plugboard/sdk'
import { z } from 'zod'

/**
 * The AMQ `SendSms` message, as CCM documents it: `{"number", "text", "id"}`, where `id` is the
 * sending application's own tracking id and comes back in the delivery reports.
 */
export const SendSmsSchema = z.object({
  number: z
    .string()
    .trim()
    .regex(/^\+?\d{3,20}$/, 'use the customer number in international form, e.g. +15550100'),
  text: z.string().min(1, 'the SMS text is empty').max(1600, 'at most 1600 characters'),
  id: z
    .union([z.string().trim().min(1).max(200), z.number()])
    .transform(String)
    .optional(),
})

export type SendSms = z.output<typeof SendSmsSchema>

export type ParsedSendSms = { ok: true; sms: SendSms } | { ok: false; reason: string }

/** Validates a SendSms body; `type` is the message's `type` header when it has one. */
export function parseSendSms(body: Buffer, type: unknown): ParsedSendSms {
  if (type !== undefined && String(type).toLowerCase() !== 'sendsms') {
    return { ok: false, reason: `unsupported message type '${String(type)}' (expected SendSms)` }
  }
  let json: unknown
  try {
    json = JSON.parse(body.toString('utf8'))
  } catch {
    return { ok: false, reason: 'the body is not JSON' }
  }
  const parsed = SendSmsSchema.safeParse(json)
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
    return { ok: false, reason: `invalid SendSms: ${issues.join('; ')}` }
  }
  return { ok: true, sms: parsed.data }
}

/**
 * The CIM id of a SendSms: derived from the app id (or the AMQP message id) so that a message the
 * broker delivers again becomes the same CIM message, which the sent marker keeps from being
 * sent twice. Without either, a redelivery cannot be told from a new message.
 */
export function cimIdFor(queue: string, appId?: string, brokerMessageId?: string): string {
  const source =
    appId !== undefined ? `app:${appId}` : brokerMessageId ? `amqp:${brokerMessageId}` : undefined
  if (source === undefined) return randomUUID()
  const h = createHash('sha256').update(`${queue}\u0000${source}`).digest('hex')
  // UUID-shaped (version 8, "custom"), as CCM's ids are UUIDs.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((Number.parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`
}

export interface SmsChannel {
  connectorId: string
  /** The from-number: the channel's serviceIdentifier. */
  serviceIdentifier: string
}

/** The outbound CIM message that sends the SMS through the channel's connector. */
export function toCimMessage(sms: SendSms, channel: SmsChannel, id: string): CimMessage {
  const message = inboundMessage({
    id,
    serviceIdentifier: channel.serviceIdentifier,
    customerId: sms.number,
    body: text(sms.text),
    connectorId: 'sendsms',
    senderName: 'SendSms',
  })
  message.header.sender.type = 'APP'
  return message
}
