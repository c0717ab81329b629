import { randomUUID } from 'node:crypto'
import type { EventContext } from 'rhea'
import type { QueueSpec } from '../broker.js'
import type { ParsedEndpoint } from '../connection/endpoint.js'
import type { Delivery } from '../consumer-entry.js'
import { createConsumerSet } from '../consumer-set.js'
import { deadLetterHeaders, deadLetterQueueOf } from '../dead-letter.js'
import { delayBucket } from '../delay.js'
import type { DriverSession, SessionContext } from '../driver.js'
import { BrokerError } from '../errors.js'
import { closeConnection, connectAmqp10, describeAmqpError } from './connect.js'
import { startAmqp10Consumer } from './consumer.js'
import { detectFlavor, queueTerminus, resetsCreditOnFlow } from './flavor.js'
import { encodeMessage, type OutgoingFields } from './message.js'
import { createRabbitTopology } from './rabbit-topology.js'
import { type Amqp10Sender, openAmqp10Sender } from './sender.js'

/**
 * One AMQP 1.0 connection: a sending link per target queue, a receiving link per consumer, each
 * on its own session. On RabbitMQ the remembered queues are declared (over 0-9-1, see
 * rabbit-topology.ts) before the connection is handed out; Artemis creates queues on attach.
 */
export async function openAmqp10Session(
  endpoint: ParsedEndpoint,
  endpointIndex: number,
  context: SessionContext,
): Promise<DriverSession> {
  const { settings, queues } = context
  const connection = await connectAmqp10(endpoint, {
    timeoutMs: settings.connectTimeoutMs,
    ...(settings.tls ? { tls: settings.tls } : {}),
    connectionName: context.connectionName,
  })
  const flavor = detectFlavor(connection.properties)
  const log = context.log.child({ endpoint: endpoint.display, broker: flavor })
  const topology =
    flavor.kind === 'rabbitmq'
      ? createRabbitTopology(endpoint, settings, context.connectionName, log)
      : undefined
  const senders = new Map<string, Amqp10Sender>()

  let alive = true
  let closing = false
  let finished = false
  let resolveClosed!: (error: Error | undefined) => void
  const closed = new Promise<Error | undefined>((resolve) => {
    resolveClosed = resolve
  })

  const deadLetter = async (queue: string, delivery: Delivery, reason: string): Promise<void> => {
    const dlq = deadLetterQueueOf(queue, queues.get(queue))
    await topology?.declareQueues([{ name: dlq }])
    await send(dlq, delivery.body, {
      messageId: delivery.messageId ?? randomUUID(),
      ...(delivery.contentType ? { contentType: delivery.contentType } : {}),
      headers: deadLetterHeaders(delivery.headers, queue, reason),
    })
  }

  const consumers = createConsumerSet({
    alive: () => alive,
    backoff: settings.reconnect,
    log,
    open: (entry, onLost) =>
      startAmqp10Consumer(connection, entry, queueTerminus(flavor, entry.queue), {
        log,
        connectionAlive: () => alive,
        creditAtZeroOnly: resetsCreditOnFlow(flavor),
        deadLetter,
        onLost,
      }),
  })

  /** The connection is gone (or closed by us): fail what is in flight, exactly once. */
  const finish = (error: Error | undefined) => {
    alive = false
    if (finished) return
    finished = true
    if (closing) error = undefined
    const lost = new BrokerError(
      'BROKER_PUBLISH_UNCONFIRMED',
      `the connection to ${endpoint.display} closed before the broker settled the message`,
    )
    for (const sender of senders.values()) sender.fail(lost)
    senders.clear()
    consumers.clear()
    resolveClosed(error)
  }
  const remoteError = (error: unknown, fallback: string) =>
    new Error(error ? describeAmqpError(error) : fallback)
  connection.on('disconnected', (c: EventContext) => finish(remoteError(c.error, 'disconnected')))
  connection.on('connection_error', (c: EventContext) =>
    finish(remoteError(c.connection.error, 'error')),
  )
  connection.on('connection_close', (c: EventContext) =>
    finish(remoteError(c.connection.error, 'the broker closed the connection')),
  )
  connection.on('protocol_error', (error: unknown) => finish(remoteError(error, 'protocol error')))
  connection.on('error', (error: unknown) => finish(remoteError(error, 'connection error')))
  // Session and link errors are handled where the session was opened; these catch the rest so
  // rhea never falls back to the container (which would throw on an unhandled 'error').
  connection.on('session_error', () => {})
  connection.on('sender_error', () => {})
  connection.on('receiver_error', () => {})

  const send = async (queue: string, body: Buffer, fields: OutgoingFields): Promise<void> => {
    if (!alive) {
      throw new BrokerError('BROKER_UNAVAILABLE', `the connection to ${endpoint.display} is closed`)
    }
    const target = queueTerminus(flavor, queue)
    let sender = senders.get(target.address)
    if (!sender?.usable()) {
      // RabbitMQ 4 refuses the attach to a missing queue; 3.x would accept and drop.
      if (flavor.kind === 'rabbitmq' && flavor.major < 4) await topology?.checkQueue(queue)
      sender = senders.get(target.address)
    }
    if (!sender?.usable()) {
      sender = openAmqp10Sender(connection, target, { timeoutMs: settings.publishTimeoutMs })
      senders.set(target.address, sender)
    }
    await sender.send(encodeMessage(body, fields))
  }

  const declareQueue = async (spec: QueueSpec): Promise<void> => {
    await topology?.declareQueues([
      { name: spec.name, singleActiveConsumer: spec.singleActiveConsumer },
      { name: deadLetterQueueOf(spec.name, spec) },
    ])
  }

  const close = async (): Promise<void> => {
    if (alive) {
      alive = false
      closing = true
      await closeConnection(connection)
    }
    finish(undefined)
  }

  try {
    const names = [...queues.values()].flatMap((spec) => [
      { name: spec.name, singleActiveConsumer: spec.singleActiveConsumer },
      { name: deadLetterQueueOf(spec.name, spec) },
    ])
    if (topology && names.length > 0) await topology.declareQueues(names)
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
      const fields: OutgoingFields = {
        messageId: options.messageId ?? randomUUID(),
        ...(options.contentType ? { contentType: options.contentType } : {}),
        ...(options.headers ? { headers: options.headers } : {}),
      }
      const delayMs = options.delayMs ?? 0
      if (delayMs <= 0) return send(queue, body, fields)
      if (topology) {
        return send(await topology.declareWaitQueue(queue, delayBucket(delayMs)), body, fields)
      }
      if (flavor.kind === 'artemis')
        return send(queue, body, { ...fields, deliverAt: Date.now() + delayMs })
      throw new BrokerError(
        'BROKER_DELAY_UNSUPPORTED',
        `delayed delivery is not known to work on ${flavor.kind === 'other' ? (flavor.product ?? 'this broker') : flavor.kind}`,
      )
    },
    startConsumer: (entry) => consumers.start(entry),
    stopConsumer: (entry) => consumers.stop(entry),
    async retire(drainMs) {
      const running = await consumers.stopAll()
      const deadline = Date.now() + drainMs
      const busy = () =>
        [...senders.values()].some((s) => s.pending() > 0) || running.some((c) => c.unsettled() > 0)
      while (alive && busy() && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      await close()
    },
  }
}
