import type { Logger } from '@plugboard/sdk'
import type { Connection, EventContext, Receiver, TerminusOptions } from 'rhea'
import {
  type ConsumerEntry,
  type Delivery,
  invokeHandler,
  toBrokerMessage,
} from '../consumer-entry.js'
import type { RunningConsumer } from '../consumer-set.js'
import { BrokerError } from '../errors.js'
import { describeAmqpError } from './connect.js'
import { decodeMessage } from './message.js'

export interface Amqp10ConsumerDeps {
  log: Logger
  /**
   * Grant credit only once the link's credit is used up: for brokers that take each flow's
   * link-credit as a fresh grant (resetsCreditOnFlow), a top-up while credit remains lets them
   * overshoot the prefetch; at zero nothing is on the wire.
   */
  creditAtZeroOnly: boolean
  /** Whether the connection is still the live one (a dead one must not be settled on). */
  connectionAlive(): boolean
  deadLetter(queue: string, delivery: Delivery, reason: string): Promise<void>
  onLost(): void
}

/**
 * A receiving link on its own session, with `autoaccept: false` and credit managed by hand:
 * unsettled messages plus outstanding credit never exceed the prefetch, and every settlement
 * (accept, release, dead-letter) gives its credit back. A new link gets its full credit when it
 * opens, which is how credit is restored after a reconnect.
 */
export function startAmqp10Consumer(
  connection: Connection,
  entry: ConsumerEntry,
  source: TerminusOptions,
  deps: Amqp10ConsumerDeps,
): Promise<RunningConsumer> {
  const { log } = deps
  const session = connection.create_session()
  session.begin()
  const receiver: Receiver = session.open_receiver({
    source,
    autoaccept: false,
    credit_window: 0,
    rcv_settle_mode: 0,
  })
  const prefetch = entry.prefetch
  // Credit goes back in batches so a busy consumer sends one flow frame per batch, not per message.
  const batch = Math.max(1, Math.floor(prefetch / 4))
  let open = false
  let started = false
  let stopping = false
  let unsettled = 0

  const alive = () => open && deps.connectionAlive()
  // rhea keeps the outstanding link credit on the receiver but does not declare it.
  const credit = () => (receiver as unknown as { credit: number }).credit
  const topUp = () => {
    if (!alive() || stopping) return
    const room = prefetch - unsettled - credit()
    if (room <= 0) return
    if (deps.creditAtZeroOnly ? credit() === 0 : room >= batch || credit() === 0) {
      receiver.add_credit(room)
    }
  }
  const closeLink = () => {
    if (!open) return
    open = false
    try {
      session.close()
    } catch {
      // Connection already gone.
    }
  }

  return new Promise<RunningConsumer>((resolve, reject) => {
    const lost = (context: EventContext) => {
      const wasOpen = open
      open = false
      if (!started) {
        const error = context.receiver?.error ?? context.session?.error
        reject(
          new BrokerError(
            'BROKER_CONSUME_FAILED',
            `cannot consume from ${entry.queue}${error ? `: ${describeAmqpError(error)}` : ''}`,
          ),
        )
        started = true
        return
      }
      if (wasOpen && !stopping) {
        log.warn({ queue: entry.queue }, 'the receiving link closed; restarting the consumer')
        deps.onLost()
      }
    }
    receiver.on('receiver_open', () => {
      open = true
      started = true
      topUp()
      resolve({
        unsettled: () => unsettled,
        async stop() {
          if (stopping) return
          stopping = true
          if (unsettled === 0) closeLink()
        },
      })
    })
    receiver.on('receiver_error', lost)
    receiver.on('receiver_close', lost)
    session.on('session_error', lost)
    session.on('session_close', lost)
    receiver.on('message', (context: EventContext) => {
      const rheaDelivery = context.delivery!
      if (stopping) {
        // Credit granted before stop() can still bring a message: hand it straight back.
        rheaDelivery.release()
        return
      }
      unsettled++
      const delivery = decodeMessage(context.message!)
      const message = toBrokerMessage(delivery, {
        log,
        alive,
        accept: () => rheaDelivery.accept(),
        requeue: () => rheaDelivery.release(),
        deadLetter: (reason) => deps.deadLetter(entry.queue, delivery, reason),
        settled: () => {
          unsettled--
          if (stopping) {
            if (unsettled === 0) closeLink()
          } else topUp()
        },
      })
      invokeHandler(entry, message, log)
    })
  })
}
