import type { DeadLetter, Direction, Job } from '@plugboard/core'
import type { CimMessage } from '@plugboard/sdk'
import { z } from 'zod'
import type { BrokerMessage, PublishOptions } from '../broker.js'

/**
 * A pipeline job as it travels through the broker. `token` is unique per publish: a message the
 * broker hands out again (after a release or a reconnect) carries the same token, a new
 * submission of the same CIM id does not.
 */
export interface Envelope {
  id: string
  direction: Direction
  connectorId: string
  orderKey: string
  createdAt: number
  token: string
  message: CimMessage
}

const EnvelopeSchema = z.object({
  v: z.literal(1),
  id: z.string().min(1),
  direction: z.enum(['inbound', 'outbound']),
  connectorId: z.string().min(1),
  orderKey: z.string(),
  createdAt: z.number(),
  token: z.string().min(1),
  // The CIM message was validated when it was submitted; here it only has to be an object.
  message: z.looseObject({
    id: z.string(),
    header: z.object({}).loose(),
    body: z.object({}).loose(),
  }),
})

const H = {
  connector: 'pb-connector',
  direction: 'pb-direction',
  reason: 'pb-dead-reason',
  attempts: 'pb-attempts',
  deadAt: 'pb-dead-at',
  sentinel: 'pb-sentinel',
} as const

export function encode(envelope: Envelope): Buffer {
  return Buffer.from(JSON.stringify({ v: 1, ...envelope }))
}

/** The envelope, or why the body is not one. */
export function decode(
  body: Buffer,
): { ok: true; envelope: Envelope } | { ok: false; reason: string } {
  let raw: unknown
  try {
    raw = JSON.parse(body.toString('utf8'))
  } catch {
    return { ok: false, reason: 'the body is not JSON' }
  }
  const parsed = EnvelopeSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    return { ok: false, reason: `not a pipeline job: ${issue?.path.join('.')}: ${issue?.message}` }
  }
  const { v: _v, ...envelope } = parsed.data
  return { ok: true, envelope: envelope as Envelope }
}

// Work messages carry no headers: the pipeline reads the body, and a header table per message
// is measurable encoding work at thousands of messages a second.
export function publishOptions(envelope: Envelope): PublishOptions {
  return { messageId: envelope.id, contentType: 'application/json' }
}

export function deadOptions(envelope: Envelope, job: Job, reason: string): PublishOptions {
  return {
    ...publishOptions(envelope),
    // Dead letters are for operators too: who, why, when, without parsing the body.
    headers: {
      [H.connector]: envelope.connectorId,
      [H.direction]: envelope.direction,
      [H.reason]: reason.slice(0, 1000),
      [H.attempts]: job.attempts,
      [H.deadAt]: Date.now(),
    },
  }
}

export function toJob(envelope: Envelope, attempts: number): Job {
  return {
    id: envelope.id,
    direction: envelope.direction,
    connectorId: envelope.connectorId,
    orderKey: envelope.orderKey,
    message: envelope.message,
    attempts,
    createdAt: envelope.createdAt,
  }
}

export function toDeadLetter(envelope: Envelope, message: BrokerMessage): DeadLetter {
  const h = message.headers
  return {
    id: envelope.id,
    direction: envelope.direction,
    connectorId: envelope.connectorId,
    attempts: Number(h[H.attempts] ?? 0),
    reason: String(h[H.reason] ?? h['x-dead-letter-reason'] ?? 'unknown'),
    createdAt: envelope.createdAt,
    deadAt: Number(h[H.deadAt] ?? 0),
    message: envelope.message,
  }
}

/** A marker a dead-letter scan publishes to find the end of the queue (see dead-letters.ts). */
export function sentinelOptions(scan: string): PublishOptions {
  return { messageId: `sentinel-${scan}`, headers: { [H.sentinel]: scan } }
}

export function sentinelOf(message: BrokerMessage): string | undefined {
  const value = message.headers[H.sentinel]
  return value === undefined ? undefined : String(value)
}
