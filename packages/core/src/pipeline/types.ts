import type { CimMessage } from '@plugboard/sdk'

/** `inbound`: customer → center (to the channel's route). `outbound`: center → customer (to a connector). */
export type Direction = 'inbound' | 'outbound'

export interface JobInput {
  direction: Direction
  /** Inbound: the connector the message came from. Outbound: the connector that sends it. */
  connectorId: string
  message: CimMessage
  /** Messages with one key are delivered in order; defaults to the CIM conversation key. */
  orderKey?: string
  /** Inbound de-duplication key (connector + provider message id); kept for 48 h. */
  dedupeKey?: string
}

export interface Job {
  id: string
  direction: Direction
  connectorId: string
  orderKey: string
  message: CimMessage
  /** Attempts made before this one. */
  attempts: number
  createdAt: number
}

export interface SubmitResult {
  status: 'accepted' | 'duplicate'
  /** The job's id: the CIM message id. */
  id: string
}

export interface DeadLetter {
  id: string
  direction: Direction
  connectorId: string
  attempts: number
  reason: string
  createdAt: number
  deadAt: number
  message: CimMessage
}

export interface PipelineHandlers {
  /** Hands the job on; resolve on success, throw (ideally a PluginError) on failure. */
  deliver(job: Job): Promise<void>
  /** Called once a job is dead-lettered (terminal error or retry budget spent). */
  onDead?(job: Job, reason: string, error: unknown): Promise<void> | void
  /** Called when an attempt failed and was scheduled again. */
  onRetry?(job: Job, error: unknown, delayMs: number): void
  /** Called when a job was delivered. */
  onDelivered?(job: Job): void
}

export interface PipelineStats {
  ready: number
  inFlight: number
  dead: number
}

/**
 * The durable delivery pipeline. `submit` resolves only once the message is durable; delivery
 * is at-least-once with per-key order, retries with backoff and a dead-letter queue. The embedded
 * implementation runs on SQLite; a broker-backed one shares the same contract.
 */
export interface Pipeline {
  submit(input: JobInput): Promise<SubmitResult>
  start(handlers: PipelineHandlers): Promise<void>
  /** Sets how many deliveries of a connector run at once, and their sustained rate per second. */
  configure(
    connectorId: string,
    direction: Direction,
    limits: { concurrency?: number; ratePerSecond?: number },
  ): void
  /** Stops taking jobs for a connector (it is down); its jobs wait without spending attempts. */
  pause(connectorId: string, direction: Direction): void
  resume(connectorId: string, direction: Direction): void
  /** Makes a connector's waiting jobs due now (after a config change fixed credentials). */
  retryNow(connectorId: string, direction: Direction): void
  /** Refuse new submissions (they throw HostError DRAINING). */
  stopIntake(): void
  /** Wait for in-flight deliveries; true when all finished within the timeout. */
  drain(timeoutMs: number): Promise<boolean>
  close(): Promise<void>
  listDead(options?: { limit?: number; connectorId?: string }): Promise<DeadLetter[]>
  /** Puts dead letters back in the queue with a fresh retry budget; all when ids is omitted. */
  replay(ids?: string[]): Promise<number>
  stats(): Promise<PipelineStats>
}
