import type { Connection, Delivery, EventContext, Message, Sender, TerminusOptions } from 'rhea'
import { BrokerError } from '../errors.js'
import { describeAmqpError, errorCondition } from './connect.js'

export interface Amqp10Sender {
  /** Resolves when the broker settled the delivery as accepted; rejects on any other outcome. */
  send(message: Message): Promise<void>
  pending(): number
  /** False once the link, its session or the connection failed; the session opens a new one. */
  usable(): boolean
  /** Fails everything in flight (the connection is gone) and closes the link. */
  fail(error: BrokerError): void
}

interface Waiting {
  message: Message
  resolve(): void
  reject(error: BrokerError): void
  timer: NodeJS.Timeout
}

/**
 * A sending link to one address on its own session: RabbitMQ reports a missing queue as a
 * session error, which must not take down the links of other queues. Messages go unsettled and
 * each publish waits for the broker's outcome (accepted, or rejected/released/modified).
 */
export function openAmqp10Sender(
  connection: Connection,
  target: TerminusOptions,
  options: { timeoutMs: number },
): Amqp10Sender {
  const session = connection.create_session()
  session.begin()
  const sender: Sender = session.open_sender({ target, autosettle: true, snd_settle_mode: 0 })
  const queued: Waiting[] = []
  const inFlight = new Map<Delivery, Waiting>()
  let failure: BrokerError | undefined
  const queueName = target.address

  const finish = (waiting: Waiting, error?: BrokerError) => {
    clearTimeout(waiting.timer)
    if (error) waiting.reject(error)
    else waiting.resolve()
  }

  const fail = (error: BrokerError) => {
    if (!failure) failure = error
    for (const waiting of queued.splice(0)) finish(waiting, error)
    for (const waiting of inFlight.values()) finish(waiting, error)
    inFlight.clear()
    try {
      session.close()
    } catch {
      // The connection is already gone.
    }
  }

  const flush = () => {
    while (!failure && queued.length > 0 && sender.sendable()) {
      const waiting = queued.shift()!
      inFlight.set(sender.send(waiting.message), waiting)
    }
  }

  const outcome = (context: EventContext, error?: BrokerError) => {
    const delivery = context.delivery
    if (!delivery) return
    const waiting = inFlight.get(delivery)
    if (!waiting) return
    inFlight.delete(delivery)
    finish(waiting, error)
  }

  const linkError = (context: EventContext, what: string) => {
    const error = context.sender?.error ?? context.session?.error
    const condition = errorCondition(error)
    fail(
      condition === 'amqp:not-found'
        ? new BrokerError(
            'BROKER_UNROUTABLE',
            `no queue behind ${queueName}: ${describeAmqpError(error)}`,
          )
        : new BrokerError(
            'BROKER_PUBLISH_UNCONFIRMED',
            `${what} to ${queueName} closed${error ? `: ${describeAmqpError(error)}` : ''}`,
          ),
    )
  }

  sender.on('sendable', flush)
  sender.on('accepted', (context: EventContext) => outcome(context))
  sender.on('rejected', (context: EventContext) => {
    const error = (context.delivery?.remote_state as { error?: unknown } | undefined)?.error
    outcome(
      context,
      new BrokerError(
        'BROKER_PUBLISH_REFUSED',
        `the broker rejected a message to ${queueName}${error ? `: ${describeAmqpError(error)}` : ''}`,
      ),
    )
  })
  // rhea reports `modified` as `released` by default (treat_modified_as_released).
  sender.on('released', (context: EventContext) =>
    outcome(
      context,
      new BrokerError('BROKER_PUBLISH_REFUSED', `the broker released a message to ${queueName}`),
    ),
  )
  sender.on('sender_error', (context: EventContext) => linkError(context, 'the link'))
  sender.on('sender_close', (context: EventContext) => linkError(context, 'the link'))
  session.on('session_error', (context: EventContext) => linkError(context, 'the session'))
  session.on('session_close', (context: EventContext) => linkError(context, 'the session'))

  return {
    pending: () => queued.length + inFlight.size,
    usable: () => !failure,
    fail,
    send(message) {
      if (failure) return Promise.reject(failure)
      return new Promise<void>((resolve, reject) => {
        const waiting: Waiting = {
          message,
          resolve,
          reject,
          timer: setTimeout(() => {
            const index = queued.indexOf(waiting)
            if (index >= 0) queued.splice(index, 1)
            for (const [delivery, w] of inFlight) if (w === waiting) inFlight.delete(delivery)
            reject(
              new BrokerError(
                'BROKER_PUBLISH_TIMEOUT',
                `no outcome for a message to ${queueName} within ${options.timeoutMs} ms`,
              ),
            )
          }, options.timeoutMs),
        }
        queued.push(waiting)
        flush()
      })
    },
  }
}
