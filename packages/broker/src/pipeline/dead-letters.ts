import { randomUUID } from 'node:crypto'
import type { DeadLetter } from '@plugboard/core'
import type { Logger } from '@plugboard/sdk'
import type { Broker, BrokerMessage } from '../broker.js'
import { decode, type Envelope, sentinelOf, sentinelOptions, toDeadLetter } from './envelope.js'

export interface DeadLetterOptions {
  broker: Broker
  queue: string
  log: Logger
  /** Publishes a job back to its work queue with a fresh token; resolves once confirmed. */
  republish(envelope: Envelope): Promise<void>
  /** Dead letters looked at per scan at most (they are held unacked meanwhile). */
  window?: number
  /** A scan gives up waiting for the end of the queue after this long. */
  timeoutMs?: number
}

export interface DeadLetters {
  list(options?: { limit?: number; connectorId?: string }): Promise<DeadLetter[]>
  replay(ids?: string[]): Promise<number>
}

type Verdict = 'keep' | 'remove' | 'stop'

// A foreign sentinel younger than this belongs to a scan still running elsewhere.
const SENTINEL_STALE_MS = 10 * 60_000

/**
 * The dead-letter queue is a broker queue, so reading it means consuming it: a scan publishes a
 * sentinel, consumes until its own sentinel comes back (everything before it has been seen;
 * queues are FIFO), and gives back whatever it did not take out. No timing guess decides where
 * the queue ends.
 */
export function createDeadLetters(options: DeadLetterOptions): DeadLetters {
  const { broker, queue, log } = options
  const window = options.window ?? 5_000
  const timeoutMs = options.timeoutMs ?? 30_000

  async function scan(visit: (message: BrokerMessage, envelope: Envelope) => Promise<Verdict>) {
    await broker.assertQueue({ name: queue })
    const id = randomUUID()
    await broker.publish(queue, '', sentinelOptions(`${id}:${Date.now()}`))
    const kept: BrokerMessage[] = []
    let finished = false
    let finish!: () => void
    const done = new Promise<void>((resolve) => {
      finish = resolve
    })
    const stop = () => {
      finished = true
      finish()
    }
    let chain = Promise.resolve()
    const consumer = await broker.consume(
      queue,
      (message) => {
        chain = chain.then(async () => {
          if (finished) {
            kept.push(message)
            return
          }
          const sentinel = sentinelOf(message)
          if (sentinel !== undefined) {
            const [owner, at] = sentinel.split(':')
            if (owner === id) {
              message.ack()
              stop()
            } else if (Date.now() - Number(at) > SENTINEL_STALE_MS) message.ack()
            else kept.push(message)
            return
          }
          const decoded = decode(message.body)
          if (!decoded.ok) {
            kept.push(message)
            return
          }
          const verdict = await visit(message, decoded.envelope)
          if (verdict === 'remove') message.ack()
          else kept.push(message)
          if (verdict === 'stop' || kept.length >= window) stop()
        })
        return chain
      },
      { prefetch: window + 1 },
    )
    const timer = setTimeout(() => {
      log.warn({ queue }, 'dead-letter scan did not reach the end of the queue in time')
      stop()
    }, timeoutMs)
    await done
    clearTimeout(timer)
    await consumer.cancel()
    await chain
    // Given back only after the cancel, so they return to their places instead of to this scan.
    for (const message of kept) message.release()
  }

  return {
    async list(opts = {}) {
      const limit = opts.limit ?? 100
      const out: DeadLetter[] = []
      await scan(async (message, envelope) => {
        if (opts.connectorId && envelope.connectorId !== opts.connectorId) return 'keep'
        out.push(toDeadLetter(envelope, message))
        return out.length >= limit ? 'stop' : 'keep'
      })
      return out
    },
    async replay(ids) {
      const wanted = ids ? new Set(ids) : undefined
      let moved = 0
      await scan(async (_message, envelope) => {
        if (wanted && !wanted.has(envelope.id)) return 'keep'
        try {
          await options.republish(envelope)
        } catch (error) {
          log.warn(
            { err: error, messageId: envelope.id },
            'replay could not re-queue a dead letter',
          )
          return 'keep'
        }
        moved++
        return 'remove'
      })
      return moved
    },
  }
}
