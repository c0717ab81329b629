import type { ChannelModel, ConfirmChannel, Message } from 'amqplib'
import { BrokerError, describeCause } from '../errors.js'

export interface PublishProperties {
  messageId: string
  contentType?: string
  headers?: Record<string, unknown>
}

export interface Publisher {
  /** Resolves once the broker confirmed a message it routed to a queue; rejects otherwise. */
  send(queue: string, body: Buffer, properties: PublishProperties): Promise<void>
  /** Messages sent and not yet confirmed (for drain-before-close). */
  pending(): number
}

interface Pending {
  queue: string
  messageId: string
  returned: boolean
}

interface Lane {
  channel: ConfirmChannel
  open: boolean
  pending: Set<Pending>
  drained?: Promise<void>
}

/**
 * Publishing over a confirm channel. Every message is persistent and `mandatory`: RabbitMQ
 * confirms an unroutable message (no such queue) with a plain ack, and only the basic.return that
 * precedes that ack tells it was dropped, so a returned message rejects instead of resolving.
 */
export function createPublisher(
  connection: ChannelModel,
  options: { timeoutMs: number },
): Publisher {
  let lane: Promise<Lane> | undefined
  let inFlight = 0

  const getLane = (): Promise<Lane> => {
    if (!lane) {
      const created = connection.createConfirmChannel().then((channel) => {
        const state: Lane = { channel, open: true, pending: new Set() }
        channel.on('error', () => {})
        channel.on('close', () => {
          state.open = false
          if (lane === created) lane = undefined
        })
        // Returns come in publish order and before their ack. The return carries routing key
        // and properties only, so every in-flight message that matches is marked: a false match
        // makes a retry (a duplicate with the same messageId), never a silent loss.
        channel.on('return', (message: Message) => {
          for (const p of state.pending) {
            if (
              p.queue === message.fields.routingKey &&
              p.messageId === message.properties.messageId
            ) {
              p.returned = true
            }
          }
        })
        return state
      })
      created.catch(() => {
        if (lane === created) lane = undefined
      })
      lane = created
    }
    return lane
  }

  return {
    pending: () => inFlight,
    async send(queue, body, properties) {
      let state: Lane
      try {
        state = await getLane()
      } catch (cause) {
        throw new BrokerError(
          'BROKER_UNAVAILABLE',
          `cannot open a channel: ${describeCause(cause)}`,
          { cause },
        )
      }
      // Back-pressure: when the socket buffer is full, wait for it to drain before writing more.
      if (state.drained) await state.drained
      inFlight++
      return new Promise<void>((resolve, reject) => {
        const entry: Pending = { queue, messageId: properties.messageId, returned: false }
        let finished = false
        const finish = (error?: BrokerError) => {
          if (finished) return
          finished = true
          inFlight--
          clearTimeout(timer)
          state.pending.delete(entry)
          if (error) reject(error)
          else resolve()
        }
        const timer = setTimeout(() => {
          finish(
            new BrokerError(
              'BROKER_PUBLISH_TIMEOUT',
              `no confirm for a message to ${queue} within ${options.timeoutMs} ms`,
            ),
          )
        }, options.timeoutMs)
        state.pending.add(entry)
        try {
          const writable = state.channel.sendToQueue(
            queue,
            body,
            {
              persistent: true,
              mandatory: true,
              messageId: properties.messageId,
              ...(properties.contentType ? { contentType: properties.contentType } : {}),
              ...(properties.headers ? { headers: properties.headers } : {}),
            },
            (error: unknown) => {
              if (error) {
                const nacked = state.open && /nack/i.test(describeCause(error))
                finish(
                  nacked
                    ? new BrokerError(
                        'BROKER_PUBLISH_REFUSED',
                        `the broker nacked a message to ${queue}`,
                      )
                    : new BrokerError(
                        'BROKER_PUBLISH_UNCONFIRMED',
                        `the channel closed before the broker confirmed a message to ${queue}`,
                        { cause: error },
                      ),
                )
              } else if (entry.returned) {
                finish(
                  new BrokerError(
                    'BROKER_UNROUTABLE',
                    `no queue ${queue}: the broker dropped the message`,
                  ),
                )
              } else {
                finish()
              }
            },
          )
          if (!writable && !state.drained) {
            state.drained = new Promise<void>((done) => {
              const release = () => {
                state.drained = undefined
                state.channel.off('close', release)
                state.channel.off('drain', release)
                done()
              }
              state.channel.once('drain', release)
              state.channel.once('close', release)
            })
          }
        } catch (cause) {
          finish(
            new BrokerError(
              'BROKER_UNAVAILABLE',
              `publish to ${queue} failed: ${describeCause(cause)}`,
              {
                cause,
              },
            ),
          )
        }
      })
    },
  }
}
