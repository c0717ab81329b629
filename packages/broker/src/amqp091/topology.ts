import type { Logger } from '@plugboard/sdk'
import type { Channel, ChannelModel } from 'amqplib'
import { waitQueueArguments, waitQueueName } from '../delay.js'
import { BrokerError, describeCause } from '../errors.js'

export interface QueueOptions {
  singleActiveConsumer?: boolean
}

export interface Topology {
  /**
   * Declares a durable classic queue (or accepts one that exists already), with RabbitMQ's
   * single-active-consumer argument when asked: one consumer at a time gets its messages.
   */
  declareQueue(name: string, options?: QueueOptions): Promise<void>
  /** Declares the wait queue for `target` and one delay bucket; returns its name. */
  declareWaitQueue(target: string, bucketMs: number): Promise<string>
  /** Passive check: rejects with BROKER_UNROUTABLE when the queue does not exist. */
  checkQueue(name: string): Promise<void>
}

/**
 * Queue declarations over one 0-9-1 connection, each name declared once per connection. Used by
 * the 0-9-1 driver and, on RabbitMQ, by the 1.0 driver too: RabbitMQ 3.x's AMQP 1.0 plugin cannot
 * declare queue arguments, so wait queues (TTL + dead-letter target) are declared over 0-9-1.
 */
export function createTopology(connection: ChannelModel, log: Logger): Topology {
  const declared = new Map<string, Promise<void>>()
  let channel: Promise<Channel> | undefined

  // A failed declaration closes its channel (that is how 0-9-1 reports it), so the channel is
  // created on demand and forgotten when it closes.
  const getChannel = (): Promise<Channel> => {
    if (!channel) {
      const created = connection.createChannel().then((ch) => {
        ch.on('error', () => {})
        ch.on('close', () => {
          if (channel === created) channel = undefined
        })
        return ch
      })
      created.catch(() => {
        if (channel === created) channel = undefined
      })
      channel = created
    }
    return channel
  }

  const once = (name: string, declare: () => Promise<void>): Promise<void> => {
    let pending = declared.get(name)
    if (!pending) {
      pending = declare()
      declared.set(name, pending)
      pending.catch(() => declared.delete(name))
    }
    return pending
  }

  return {
    declareQueue(name, options = {}) {
      return once(name, async () => {
        try {
          await (await getChannel()).assertQueue(name, {
            durable: true,
            ...(options.singleActiveConsumer
              ? { arguments: { 'x-single-active-consumer': true } }
              : {}),
          })
        } catch (error) {
          if (!isPreconditionFailed(error)) throw topologyError(name, error)
          // The 406 closed the channel; the check needs a fresh one.
          channel = undefined
          // The queue exists with other arguments (an operator's quorum queue or policy-less DLX
          // setup): use it as it is rather than refuse to start.
          try {
            await (await getChannel()).checkQueue(name)
          } catch (checkError) {
            throw topologyError(name, checkError)
          }
          log.info({ queue: name }, 'queue exists with other arguments; using it as declared')
        }
      })
    },
    checkQueue(name) {
      return once(name, async () => {
        try {
          await (await getChannel()).checkQueue(name)
        } catch (cause) {
          if ((cause as { code?: unknown })?.code === 404) {
            throw new BrokerError('BROKER_UNROUTABLE', `no queue ${name}`, { cause })
          }
          throw topologyError(name, cause)
        }
      })
    },
    async declareWaitQueue(target, bucketMs) {
      const name = waitQueueName(target, bucketMs)
      await once(name, async () => {
        try {
          await (await getChannel()).assertQueue(name, {
            durable: true,
            arguments: waitQueueArguments(target, bucketMs),
          })
        } catch (error) {
          throw topologyError(name, error)
        }
      })
      return name
    },
  }
}

function isPreconditionFailed(error: unknown): boolean {
  return (error as { code?: unknown })?.code === 406
}

function topologyError(queue: string, cause: unknown): BrokerError {
  return new BrokerError(
    'BROKER_TOPOLOGY_FAILED',
    `declaring queue ${queue} failed: ${describeCause(cause)}`,
    { cause },
  )
}
