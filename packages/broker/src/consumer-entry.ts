import type { Logger } from '@plugboard/sdk'
import type { BrokerMessage } from './broker.js'
import { describeCause } from './errors.js'

/** One `consume()` call, remembered by the driver and started on every connection. */
export interface ConsumerEntry {
  readonly queue: string
  readonly prefetch: number
  readonly handler: (message: BrokerMessage) => void | Promise<void>
  /** False once the consumer was cancelled; a connection must not restart it. */
  active: boolean
}

export interface Delivery {
  body: Buffer
  messageId?: string
  contentType?: string
  headers: Record<string, unknown>
  redelivered: boolean
}

export interface SettleOps {
  /** Whether the channel/link the message came on is still open; settling on a dead one is a no-op. */
  alive(): boolean
  accept(): void
  requeue(): void
  /** Copies the message to the dead-letter queue; resolves once the broker took the copy. */
  deadLetter(reason: string): Promise<void>
  /** Called once, when the message is settled or can no longer be. */
  settled(): void
  log: Logger
}

/**
 * Wraps a delivery so that it is settled at most once, and never on a dead channel: after a
 * reconnect the broker has already put the message back, and an ack with a stale delivery tag
 * would close the new channel (amqp-connection-manager #58).
 *
 * `reject` copies the message to the dead-letter queue and only then acks it, so a crash in
 * between leaves the message in the queue (it comes back, is rejected again, and the DLQ may
 * hold it twice under the same messageId) instead of in neither.
 */
export function toBrokerMessage(delivery: Delivery, ops: SettleOps): BrokerMessage {
  let settled = false
  const settle = (action: () => void) => {
    if (settled) return
    settled = true
    try {
      if (ops.alive()) action()
    } catch (error) {
      ops.log.debug(
        { err: describeCause(error) },
        'settling on a closing channel; the broker redelivers',
      )
    }
    ops.settled()
  }
  return {
    ...delivery,
    ack: () => settle(ops.accept),
    release: () => settle(ops.requeue),
    reject(reason) {
      if (settled) return
      settled = true
      if (!ops.alive()) {
        ops.settled()
        return
      }
      ops.deadLetter(reason).then(
        () => {
          try {
            if (ops.alive()) ops.accept()
          } catch {
            // The channel died after the copy was confirmed: the message comes back and is
            // rejected again; the DLQ then holds it twice under one messageId.
          }
          ops.settled()
        },
        (error) => {
          ops.log.warn(
            { err: describeCause(error), reason },
            'dead-lettering failed; the message goes back to its queue',
          )
          try {
            if (ops.alive()) ops.requeue()
          } catch {
            // Dead channel: the broker redelivers.
          }
          ops.settled()
        },
      )
    },
  }
}

/** Runs the handler; a handler that throws without settling gives the message back. */
export function invokeHandler(entry: ConsumerEntry, message: BrokerMessage, log: Logger): void {
  const failed = (error: unknown) => {
    log.error(
      { err: describeCause(error), queue: entry.queue, messageId: message.messageId },
      'message handler failed; releasing the message',
    )
    message.release()
  }
  try {
    const result = entry.handler(message)
    if (result && typeof (result as Promise<void>).then === 'function') {
      ;(result as Promise<void>).then(undefined, failed)
    }
  } catch (error) {
    failed(error)
  }
}
