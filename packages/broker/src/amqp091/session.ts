import { randomUUID } from 'node:crypto'
import type { QueueSpec } from '../broker.js'
import type { ParsedEndpoint } from '../connection/endpoint.js'
import type { Delivery } from '../consumer-entry.js'
import { createConsumerSet } from '../consumer-set.js'
import { deadLetterHeaders, deadLetterQueueOf } from '../dead-letter.js'
import { delayBucket } from '../delay.js'
import type { DriverSession, SessionContext } from '../driver.js'
import { BrokerError } from '../errors.js'
import { connectAmqp091 } from './connect.js'
import { startAmqp091Consumer } from './consumer.js'
import { createPublisher } from './publisher.js'
import { createTopology } from './topology.js'

/**
 * One AMQP 0-9-1 connection: a confirm channel for publishing, a channel per consumer, and the
 * remembered queues declared before the connection is handed out.
 */
export async function openAmqp091Session(
  endpoint: ParsedEndpoint,
  endpointIndex: number,
  context: SessionContext,
): Promise<DriverSession> {
  const { settings, queues } = context
  const log = context.log.child({ endpoint: endpoint.display })
  const connection = await connectAmqp091(endpoint, {
    timeoutMs: settings.connectTimeoutMs,
    ...(settings.tls ? { tls: settings.tls } : {}),
    connectionName: context.connectionName,
  })

  let alive = true
  let lastError: Error | undefined
  let resolveClosed!: (error: Error | undefined) => void
  const closed = new Promise<Error | undefined>((resolve) => {
    resolveClosed = resolve
  })

  const topology = createTopology(connection, log)
  const publisher = createPublisher(connection, { timeoutMs: settings.publishTimeoutMs })

  const deadLetter = async (queue: string, delivery: Delivery, reason: string): Promise<void> => {
    const dlq = deadLetterQueueOf(queue, queues.get(queue))
    await topology.declareQueue(dlq)
    await publisher.send(dlq, delivery.body, {
      messageId: delivery.messageId ?? randomUUID(),
      ...(delivery.contentType ? { contentType: delivery.contentType } : {}),
      headers: deadLetterHeaders(delivery.headers, queue, reason),
    })
  }

  const consumers = createConsumerSet({
    alive: () => alive,
    backoff: settings.reconnect,
    log,
    open: (entry, onLost) => startAmqp091Consumer(connection, entry, { log, deadLetter, onLost }),
  })

  connection.on('error', (error: Error) => {
    lastError = error
  })
  connection.on('blocked', (reason: string) => {
    log.warn({ reason }, 'the broker blocks publishing (resource alarm); publishes wait')
  })
  connection.on('unblocked', () => log.info('the broker unblocked publishing'))
  connection.on('close', (error?: Error) => {
    alive = false
    consumers.clear()
    resolveClosed(error ?? lastError)
  })

  const declareQueue = async (spec: QueueSpec): Promise<void> => {
    await topology.declareQueue(spec.name, { singleActiveConsumer: spec.singleActiveConsumer })
    await topology.declareQueue(deadLetterQueueOf(spec.name, spec))
  }

  const close = async (): Promise<void> => {
    if (alive) {
      alive = false
      // A dead socket may never answer connection.close; do not hang the caller on it.
      await Promise.race([
        connection.close().catch(() => {}),
        new Promise((resolve) => setTimeout(resolve, 2_000).unref()),
      ])
    }
    consumers.clear()
    resolveClosed(undefined)
  }

  try {
    for (const spec of queues.values()) await declareQueue(spec)
  } catch (error) {
    await close()
    throw error
  }

  return {
    endpointIndex,
    closed,
    close,
    declareQueue,
    async publish(queue, body, options) {
      if (!alive) {
        throw new BrokerError(
          'BROKER_UNAVAILABLE',
          `the connection to ${endpoint.display} is closed`,
        )
      }
      const target =
        options.delayMs && options.delayMs > 0
          ? await topology.declareWaitQueue(queue, delayBucket(options.delayMs))
          : queue
      await publisher.send(target, body, {
        messageId: options.messageId ?? randomUUID(),
        ...(options.contentType ? { contentType: options.contentType } : {}),
        ...(options.headers ? { headers: options.headers } : {}),
      })
    },
    startConsumer: (entry) => consumers.start(entry),
    stopConsumer: (entry) => consumers.stop(entry),
    async retire(drainMs) {
      const running = await consumers.stopAll()
      const deadline = Date.now() + drainMs
      const busy = () => publisher.pending() > 0 || running.some((c) => c.unsettled() > 0)
      while (alive && busy() && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      await close()
    },
  }
}
