import { hostname } from 'node:os'
import type { Logger } from '@plugboard/sdk'
import type {
  Broker,
  BrokerOptions,
  BrokerProtocol,
  Consumer,
  PublishOptions,
  QueueSpec,
} from './broker.js'
import { type ParsedEndpoint, parseEndpoint } from './connection/endpoint.js'
import { createStatusCell } from './connection/status.js'
import { createSupervisor, type Link } from './connection/supervisor.js'
import type { ConsumerEntry } from './consumer-entry.js'
import { delayBucket } from './delay.js'
import { BrokerError, describeCause } from './errors.js'
import { type ResolvedBrokerOptions, resolveBrokerOptions } from './options.js'

/** What a protocol driver provides: one connection with its topology, publisher and consumers. */
export interface DriverSession extends Link {
  declareQueue(spec: QueueSpec): Promise<void>
  publish(queue: string, body: Buffer, options: PublishOptions): Promise<void>
  /** Starts the consumer; on failure it rejects and retries by itself while the entry is active. */
  startConsumer(entry: ConsumerEntry): Promise<void>
  stopConsumer(entry: ConsumerEntry): Promise<void>
  /** Stops consuming, waits (bounded) for confirms and settlements in flight, then closes. */
  retire(drainMs: number): Promise<void>
}

export interface SessionContext {
  settings: ResolvedBrokerOptions
  log: Logger
  /** Queues declared through the broker so far: a new connection declares them before use. */
  queues: ReadonlyMap<string, QueueSpec>
  connectionName: string
}

export type OpenSession<S extends DriverSession> = (
  endpoint: ParsedEndpoint,
  endpointIndex: number,
  context: SessionContext,
) => Promise<S>

/** How long close() and a switch back to the primary wait for work in flight. */
const DRAIN_MS = 5_000

/**
 * The Broker both drivers share: it remembers the topology and the consumers, and leaves
 * connecting, failover and reconnecting to the supervisor, so each protocol only implements
 * one connection's worth of behaviour.
 */
export function createDriver<S extends DriverSession>(
  protocol: BrokerProtocol,
  options: BrokerOptions & { log: Logger },
  open: OpenSession<S>,
): Broker {
  const settings = resolveBrokerOptions({ ...options, protocol })
  const log = options.log.child({ component: 'broker', protocol })
  const endpoints = [settings.primary, ...(settings.secondary ? [settings.secondary] : [])].map(
    parseEndpoint,
  )
  const queues = new Map<string, QueueSpec>()
  const consumers = new Set<ConsumerEntry>()
  const status = createStatusCell()
  const context: SessionContext = {
    settings,
    log,
    queues,
    connectionName: `plugboard ${hostname()} pid ${process.pid}`,
  }
  let closed = false

  const supervisor = createSupervisor<S>({
    endpoints,
    priorityBackup: settings.priorityBackup,
    randomize: settings.randomize,
    backoff: settings.reconnect,
    probeIntervalMs: settings.reconnect.probeIntervalMs,
    log,
    status,
    open: (endpoint, index) => open(endpoint, index, context),
    activate(session) {
      for (const entry of consumers) {
        session.startConsumer(entry).catch((error) => {
          log.warn(
            { queue: entry.queue, err: describeCause(error) },
            'consumer did not start; retrying',
          )
        })
      }
    },
    retire: (session) => session.retire(DRAIN_MS),
  })

  const live = (): S => {
    if (closed) throw new BrokerError('BROKER_CLOSED', 'the broker client is closed')
    const session = supervisor.current()
    if (!session) {
      const reason = status.get().lastError
      throw new BrokerError(
        'BROKER_UNAVAILABLE',
        `not connected to the broker${reason ? ` (${reason})` : ''}`,
      )
    }
    return session
  }

  return {
    protocol,
    connect: () => supervisor.connect(),
    async assertQueue(spec) {
      const session = supervisor.current()
      if (session) await session.declareQueue(spec)
      // Remembered once the broker accepted it (or, while disconnected, for the next connection),
      // so a spec the broker refused cannot make every later reconnect fail.
      queues.set(spec.name, spec)
    },
    async publish(queue, body, publishOptions = {}) {
      if (publishOptions.delayMs !== undefined && publishOptions.delayMs > 0) {
        delayBucket(publishOptions.delayMs)
      }
      const session = live()
      await session.publish(
        queue,
        typeof body === 'string' ? Buffer.from(body) : body,
        publishOptions,
      )
    },
    async consume(queue, handler, consumeOptions = {}): Promise<Consumer> {
      if (closed) throw new BrokerError('BROKER_CLOSED', 'the broker client is closed')
      const entry: ConsumerEntry = {
        queue,
        handler,
        prefetch: consumeOptions.prefetch ?? settings.prefetch,
        active: true,
      }
      consumers.add(entry)
      const session = supervisor.current()
      if (session) {
        try {
          await session.startConsumer(entry)
        } catch (error) {
          entry.active = false
          consumers.delete(entry)
          await session.stopConsumer(entry).catch(() => {})
          throw error
        }
      }
      return {
        async cancel() {
          if (!entry.active) return
          entry.active = false
          consumers.delete(entry)
          await supervisor.current()?.stopConsumer(entry)
        },
      }
    },
    status: () => status.get(),
    onStatus: (listener) => status.subscribe(listener),
    async close() {
      if (closed) return
      closed = true
      for (const entry of consumers) entry.active = false
      consumers.clear()
      await supervisor.close()
    },
  }
}
