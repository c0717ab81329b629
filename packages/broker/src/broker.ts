/**
 * The one interface both broker drivers implement (AMQP 0-9-1 through amqplib, AMQP 1.0 through
 * rhea). Everything above it (the broker-backed pipeline, the SendSms consumer, delivery reports)
 * is written against this file only, so a driver can be swapped by configuration.
 *
 * Rules every driver keeps:
 * - `publish` resolves only when the broker took responsibility for the message (publisher
 *   confirm on 0-9-1, settled/accepted disposition on 1.0); it rejects otherwise, never silently.
 * - Consumers ack explicitly. A message is settled on the channel/link it arrived on; after a
 *   reconnect, settling a message from the dead connection is a no-op (the broker redelivers it).
 * - Queues declared and consumers started are remembered and replayed after every reconnect,
 *   and a consumer's prefetch/credit is restored.
 */

export type BrokerProtocol = 'amqp091' | 'amqp10'

export interface BrokerEndpoint {
  /** amqp://user:pass@host:5672/vhost or amqps://…; for 1.0 the same form is accepted. */
  url: string
}

export interface BrokerTls {
  /** PEM file paths, the Node equivalent of JKS trust and key stores. */
  caFile?: string
  certFile?: string
  keyFile?: string
  /** Defaults to true; only a test may turn it off. */
  rejectUnauthorized?: boolean
}

export interface BrokerOptions {
  protocol: BrokerProtocol
  /** AMQ_PRIMARY (or AMQ_HOST:AMQ_PORT). */
  primary: BrokerEndpoint
  /** AMQ_SECONDARY: the failover peer. */
  secondary?: BrokerEndpoint
  /** AMQ_PRIORITY_BACKUP: go back to the primary as soon as it answers again. */
  priorityBackup?: boolean
  /** AMQ_RANDOMIZE: pick the first endpoint at random (spreads replicas over a pair). */
  randomize?: boolean
  /** AMQ_TIMEOUT: connect timeout in ms. */
  connectTimeoutMs?: number
  /** AMQ_PREFETCH_SIZE: unacked messages (0-9-1 prefetch) or link credit (1.0) per consumer. */
  prefetch?: number
  /**
   * A publish the broker has not confirmed after this long rejects (BROKER_PUBLISH_TIMEOUT), e.g.
   * while a memory or disk alarm blocks publishers. Default 30 s.
   */
  publishTimeoutMs?: number
  tls?: BrokerTls
  /**
   * Reconnect backoff bounds (default 500 ms … 30 s), and how often a connection on the
   * secondary checks whether the primary answers again under priority-backup (default 5 s).
   */
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number; probeIntervalMs?: number }
}

export interface QueueSpec {
  name: string
  /**
   * Messages refused with `reject(reason)` go here, with the reason in the `x-dead-letter-reason`
   * header. Default `<name>.dlq`; declared together with the queue.
   */
  deadLetterQueue?: string
  /**
   * Only one consumer at a time receives the queue's messages; the others wait and the next one
   * takes over, in queue order, when it goes away (RabbitMQ queue argument
   * `x-single-active-consumer: true`, declared over 0-9-1 for both drivers). The broker-backed
   * pipeline relies on it for per-conversation order across replicas.
   */
  singleActiveConsumer?: boolean
}

export interface PublishOptions {
  /** Stable id: receivers de-duplicate on it. */
  messageId?: string
  contentType?: string
  /** Application headers (0-9-1 headers / 1.0 application properties). */
  headers?: Record<string, string | number | boolean>
  /** Deliver no earlier than this many ms from now (retry backoff). */
  delayMs?: number
}

export interface BrokerMessage {
  body: Buffer
  messageId?: string
  contentType?: string
  headers: Record<string, unknown>
  /** True when the broker delivered this message before (to this or another consumer). */
  redelivered: boolean
  /** Acknowledge: the hand-off succeeded; the broker forgets the message. */
  ack(): void
  /** Give the message back for another consumer (requeue) — for a hand-off that did not happen. */
  release(): void
  /** Refuse the message for good: it goes to the queue's dead-letter queue with the reason. */
  reject(reason: string): void
}

export interface ConsumeOptions {
  /** Overrides the broker-wide prefetch for this consumer. */
  prefetch?: number
}

export interface Consumer {
  /** Stop receiving; messages already handed to the handler may still be settled. */
  cancel(): Promise<void>
}

export interface BrokerStatus {
  connected: boolean
  /** The endpoint in use (credentials removed). */
  endpoint?: string
  lastError?: string
  reconnects: number
}

export interface Broker {
  readonly protocol: BrokerProtocol
  /**
   * Resolves once connected the first time; keeps reconnecting after that until `close`. It only
   * rejects if `close` comes first: race it with a timeout if start-up must not wait for the
   * broker (readiness follows `status().connected` either way).
   */
  connect(): Promise<void>
  /** Declares a durable queue (and its dead-letter queue); replayed after every reconnect. */
  assertQueue(spec: QueueSpec): Promise<void>
  /**
   * Resolves when the broker confirmed (0-9-1) or settled (1.0) the persistent message. While
   * disconnected it rejects at once (BrokerError BROKER_UNAVAILABLE, `retryable`); a message
   * without `messageId` gets a random one.
   */
  publish(queue: string, body: Buffer | string, options?: PublishOptions): Promise<void>
  /**
   * The handler must settle every message it is given (ack, release or reject); one that throws
   * without settling has its message released. While disconnected the consumer is remembered and
   * starts with the next connection.
   */
  consume(
    queue: string,
    handler: (message: BrokerMessage) => void | Promise<void>,
    options?: ConsumeOptions,
  ): Promise<Consumer>
  status(): BrokerStatus
  /** Listens for connection changes (readiness follows `connected`). */
  onStatus(listener: (status: BrokerStatus) => void): () => void
  close(): Promise<void>
}
