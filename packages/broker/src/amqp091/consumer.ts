import type { Logger } from '@plugboard/sdk'
import type { ChannelModel, ConsumeMessage } from 'amqplib'
import {
  type ConsumerEntry,
  type Delivery,
  invokeHandler,
  toBrokerMessage,
} from '../consumer-entry.js'
import type { RunningConsumer } from '../consumer-set.js'
import { BrokerError, describeCause } from '../errors.js'

export interface ConsumerDeps {
  log: Logger
  deadLetter(queue: string, delivery: Delivery, reason: string): Promise<void>
  /** The channel closed while the consumer should still run (server cancel, channel error). */
  onLost(): void
}

/**
 * One consumer on its own channel: prefetch is per channel in RabbitMQ's model, and a channel
 * error (or a queue deleted under the consumer) then stops this consumer only.
 */
export async function startAmqp091Consumer(
  connection: ChannelModel,
  entry: ConsumerEntry,
  deps: ConsumerDeps,
): Promise<RunningConsumer> {
  const { log } = deps
  const channel = await connection.createChannel().catch((cause: unknown) => {
    throw consumeError(entry.queue, cause)
  })
  let open = true
  let started = false
  let stopping = false
  let unsettled = 0
  let consumerTag: string | undefined

  const closeChannel = () => {
    if (open) channel.close().catch(() => {})
  }
  channel.on('error', (error: unknown) => {
    log.warn({ queue: entry.queue, err: describeCause(error) }, 'consumer channel error')
  })
  channel.on('close', () => {
    open = false
    if (started && !stopping) deps.onLost()
  })

  const onMessage = (raw: ConsumeMessage | null) => {
    if (!raw) {
      log.warn({ queue: entry.queue }, 'the broker cancelled the consumer (queue deleted?)')
      closeChannel()
      return
    }
    unsettled++
    const delivery: Delivery = {
      body: raw.content,
      ...(raw.properties.messageId ? { messageId: String(raw.properties.messageId) } : {}),
      ...(raw.properties.contentType ? { contentType: String(raw.properties.contentType) } : {}),
      headers: (raw.properties.headers as Record<string, unknown> | undefined) ?? {},
      redelivered: raw.fields.redelivered,
    }
    const message = toBrokerMessage(delivery, {
      log,
      alive: () => open,
      accept: () => channel.ack(raw),
      requeue: () => channel.nack(raw, false, true),
      deadLetter: (reason) => deps.deadLetter(entry.queue, delivery, reason),
      settled: () => {
        unsettled--
        if (stopping && unsettled === 0) closeChannel()
      },
    })
    invokeHandler(entry, message, log)
  }

  try {
    await channel.prefetch(entry.prefetch)
    consumerTag = (await channel.consume(entry.queue, onMessage, { noAck: false })).consumerTag
    started = true
  } catch (cause) {
    closeChannel()
    throw consumeError(entry.queue, cause)
  }
  if (!open) {
    // Closed between consume-ok and here: report it like any later loss.
    deps.onLost()
  }

  return {
    unsettled: () => unsettled,
    async stop() {
      if (stopping) return
      stopping = true
      if (open && consumerTag) await channel.cancel(consumerTag).catch(() => {})
      if (unsettled === 0) closeChannel()
    },
  }
}

function consumeError(queue: string, cause: unknown): BrokerError {
  return new BrokerError(
    'BROKER_CONSUME_FAILED',
    `cannot consume from ${queue}: ${describeCause(cause)}`,
    {
      cause,
    },
  )
}
