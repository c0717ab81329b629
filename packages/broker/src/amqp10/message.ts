import rhea, { type Message } from 'rhea'
import type { Delivery } from '../consumer-entry.js'

export interface OutgoingFields {
  messageId: string
  contentType?: string
  headers?: Record<string, unknown>
  /** Artemis: epoch ms before which the broker holds the message (x-opt-delivery-time). */
  deliverAt?: number
}

/**
 * A durable message with the body as one data section: a 0-9-1 consumer of the same queue then
 * gets the bytes unchanged (an amqp-value body would reach it AMQP-encoded).
 */
export function encodeMessage(body: Buffer, fields: OutgoingFields): Message {
  return {
    durable: true,
    message_id: fields.messageId,
    ...(fields.contentType ? { content_type: fields.contentType } : {}),
    ...(fields.headers ? { application_properties: fields.headers } : {}),
    ...(fields.deliverAt !== undefined
      ? { message_annotations: { 'x-opt-delivery-time': fields.deliverAt } }
      : {}),
    body: rhea.message.data_section(body),
  }
}

export function decodeMessage(message: Message): Delivery {
  const id = message.message_id
  return {
    body: bodyBytes(message.body),
    ...(id !== undefined && id !== null
      ? { messageId: Buffer.isBuffer(id) ? id.toString('hex') : String(id) }
      : {}),
    ...(message.content_type ? { contentType: String(message.content_type) } : {}),
    headers: { ...(message.application_properties ?? {}) },
    // RabbitMQ marks a redelivery with first_acquirer=false; Artemis and others count deliveries.
    redelivered: message.first_acquirer === false || (message.delivery_count ?? 0) > 0,
  }
}

/** Data sections come as bytes; other body kinds (from foreign senders) are made into bytes. */
function bodyBytes(body: unknown): Buffer {
  if (body === undefined || body === null) return Buffer.alloc(0)
  if (Buffer.isBuffer(body)) return body
  if (typeof body === 'string') return Buffer.from(body)
  const section = body as { typecode?: number; content?: unknown; multiple?: boolean }
  if (section.typecode === 0x75) {
    const content = section.content
    if (section.multiple && Array.isArray(content)) return Buffer.concat(content as Buffer[])
    if (Buffer.isBuffer(content)) return content
  }
  if (section.typecode !== undefined && section.content !== undefined)
    return bodyBytes(section.content)
  return Buffer.from(JSON.stringify(body))
}
