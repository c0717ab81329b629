import { randomUUID } from 'node:crypto'
import { type CimMessage, conversationKey } from '@plugboard/sdk'
import { describeError, HostError } from '../errors.js'
import type { SqliteDb } from '../store/sqlite.js'
import { createWriter, type Writer } from '../store/writer.js'
import { DEFAULT_RETRY, decide, type RetryPolicy } from './retry.js'
import { type Entry, type LaneOptions, Scheduler } from './scheduler.js'
import type {
  DeadLetter,
  Direction,
  Job,
  JobInput,
  Pipeline,
  PipelineHandlers,
  PipelineStats,
  SubmitResult,
} from './types.js'

export interface EmbeddedPipelineOptions {
  db: SqliteDb
  /** The store's group commit; share it with the state store so markers and completions commit together. */
  writer?: Writer
  /** Told when a completion could not be recorded (the message will then be delivered again after a restart). */
  onStoreError?: (error: unknown) => void
  retry?: Partial<RetryPolicy>
  /** Concurrency and rate for a lane without its own settings. */
  lane?: Partial<LaneOptions>
  /** How long an inbound de-duplication key is kept. */
  dedupeWindowMs?: number
  /** Submissions are refused (QUEUE_FULL, 503) while this many messages wait; protects memory and latency. */
  maxQueued?: number
  /** Messages kept in memory for delivery without reading them back; beyond this they are read from the store. */
  cacheLimit?: number
  /** How often to look for jobs another process (the CLI's `dlq replay`) put back. */
  externalPollMs?: number
}

interface JobRow {
  seq: number
  id: string
  direction: Direction
  connector_id: string
  order_key: string
  message: string
  attempts: number
  next_at: number
  created_at: number
}

const DEDUPE_NS = 'dedupe'
const DEDUPE_WINDOW_MS = 48 * 3600_000

/** The pipeline on the embedded SQLite store: one process, no broker. */
export function createEmbeddedPipeline(options: EmbeddedPipelineOptions): Pipeline {
  const { db } = options
  const writer = options.writer ?? createWriter(db)
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry }
  const dedupeWindow = options.dedupeWindowMs ?? DEDUPE_WINDOW_MS
  const laneName = (direction: Direction, connectorId: string) => `${direction}:${connectorId}`

  const insertJob = db.prepare(
    `INSERT OR IGNORE INTO jobs (id, direction, connector_id, order_key, message, attempts, next_at, created_at)
     VALUES (@id, @direction, @connectorId, @orderKey, @message, 0, @now, @now)`,
  )
  const claimDedupe = db.prepare<[string, string, number, number]>(
    `INSERT INTO kv (ns, key, value, expires_at) VALUES ('${DEDUPE_NS}', ?, ?, ?)
     ON CONFLICT(ns, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
     WHERE kv.expires_at <= ?`,
  )
  const readDedupe = db.prepare<[string], { value: string }>(
    `SELECT value FROM kv WHERE ns = '${DEDUPE_NS}' AND key = ?`,
  )
  const loadReady = db.prepare<[], JobRow>(
    `SELECT seq, id, direction, connector_id, order_key, '' AS message, attempts, next_at, created_at
     FROM jobs WHERE state = 'ready' ORDER BY seq`,
  )
  const loadAfter = db.prepare<[number], JobRow>(
    `SELECT seq, id, direction, connector_id, order_key, '' AS message, attempts, next_at, created_at
     FROM jobs WHERE state = 'ready' AND seq > ? ORDER BY seq`,
  )
  const readJob = db.prepare<[number], JobRow>('SELECT * FROM jobs WHERE seq = ?')
  const deleteJob = db.prepare<[number]>('DELETE FROM jobs WHERE seq = ?')
  const retryJob = db.prepare<[number, number, string, number]>(
    'UPDATE jobs SET attempts = ?, next_at = ?, last_error = ? WHERE seq = ?',
  )
  const killJob = db.prepare<[number, string, number, number]>(
    `UPDATE jobs SET state = 'dead', attempts = ?, last_error = ?, dead_at = ? WHERE seq = ?`,
  )
  const countStmt = db.prepare<[], { state: string; n: number }>(
    'SELECT state, COUNT(*) AS n FROM jobs GROUP BY state',
  )

  let handlers: PipelineHandlers | undefined
  let accepting = true
  let closed = false
  // Rows moved back to 'ready' get a new seq, so "seq > highest seen" finds work added elsewhere.
  let highestSeq = 0
  let pollTimer: NodeJS.Timeout | undefined
  let lastDataVersion = 0

  const scheduler = new Scheduler(run, { concurrency: 16, ...options.lane })
  const maxQueued = options.maxQueued ?? 100_000
  const cacheLimit = options.cacheLimit ?? 10_000
  // Jobs submitted by this process, so delivery need not read back and parse what it just wrote.
  const cache = new Map<number, Job>()
  let queued = 0

  function enqueueEntry(
    row: Pick<
      JobRow,
      'seq' | 'id' | 'direction' | 'connector_id' | 'order_key' | 'attempts' | 'next_at'
    >,
  ) {
    highestSeq = Math.max(highestSeq, row.seq)
    queued++
    scheduler.add(laneName(row.direction, row.connector_id), row.order_key, {
      seq: row.seq,
      id: row.id,
      nextAt: row.next_at,
      attempts: row.attempts,
    })
  }

  /** Claims the dedupe key and inserts the job; runs inside the writer's transaction. */
  function insert(
    input: JobInput,
    id: string,
    orderKey: string,
  ): { result: SubmitResult; seq?: number; now: number } {
    const now = Date.now()
    if (input.dedupeKey) {
      const claimed = claimDedupe.run(input.dedupeKey, id, now + dedupeWindow, now).changes > 0
      if (!claimed) {
        const original = readDedupe.get(input.dedupeKey)?.value ?? id
        return { result: { status: 'duplicate', id: original }, now }
      }
    }
    const info = insertJob.run({
      id,
      direction: input.direction,
      connectorId: input.connectorId,
      orderKey,
      message: JSON.stringify(input.message),
      now,
    })
    if (info.changes === 0) return { result: { status: 'duplicate', id }, now }
    return { result: { status: 'accepted', id }, seq: Number(info.lastInsertRowid), now }
  }

  function run(lane: string, key: string, entry: Entry) {
    void attempt(lane, key, entry)
  }

  function finish(lane: string, key: string, seq: number) {
    cache.delete(seq)
    queued--
    scheduler.complete(lane, key)
  }

  function load(entry: Entry): Job | undefined {
    const cached = cache.get(entry.seq)
    if (cached) {
      cached.attempts = entry.attempts
      return cached
    }
    const row = readJob.get(entry.seq)
    if (!row) return undefined
    return {
      id: row.id,
      direction: row.direction,
      connectorId: row.connector_id,
      orderKey: row.order_key,
      message: JSON.parse(row.message) as CimMessage,
      attempts: row.attempts,
      createdAt: row.created_at,
    }
  }

  async function attempt(lane: string, key: string, entry: Entry) {
    const job = load(entry)
    if (!job) {
      // Deleted by another process; nothing to do.
      finish(lane, key, entry.seq)
      return
    }
    try {
      await handlers!.deliver(job)
    } catch (error) {
      failed(lane, key, entry, job, error)
      return
    }
    // Committed with the next group commit, together with the markers the hand-off wrote. A crash
    // before that commit means one redelivery: the at-least-once side of the contract.
    writer
      .write(() => deleteJob.run(entry.seq))
      .catch((error: unknown) => options.onStoreError?.(error))
    finish(lane, key, entry.seq)
    safe(() => handlers?.onDelivered?.(job))
  }

  function failed(lane: string, key: string, entry: Entry, job: Job, error: unknown) {
    const attempt = job.attempts + 1
    const decision = decide(error, attempt, policy)
    if (decision.action === 'retry') {
      const nextAt = Date.now() + decision.delayMs
      retryJob.run(attempt, nextAt, describeError(error).slice(0, 1000), entry.seq)
      scheduler.reschedule(lane, key, nextAt)
      safe(() => handlers?.onRetry?.({ ...job, attempts: attempt }, error, decision.delayMs))
      return
    }
    killJob.run(attempt, decision.reason, Date.now(), entry.seq)
    finish(lane, key, entry.seq)
    void Promise.resolve()
      .then(() => handlers?.onDead?.({ ...job, attempts: attempt }, decision.reason, error))
      .catch(() => undefined)
  }

  function pollExternal() {
    const version = db.pragma('data_version', { simple: true }) as number
    if (version === lastDataVersion) return
    lastDataVersion = version
    for (const row of loadAfter.all(highestSeq)) enqueueEntry(row)
  }

  return {
    submit(input) {
      if (!accepting) {
        return Promise.reject(new HostError('DRAINING', 'the pipeline is not accepting messages'))
      }
      if (queued >= maxQueued) {
        return Promise.reject(
          new HostError(
            'QUEUE_FULL',
            `${queued} messages are waiting for delivery (limit ${maxQueued})`,
          ),
        )
      }
      const id = input.message.id || randomUUID()
      const orderKey = input.orderKey ?? conversationKey(input.message)
      return writer
        .write(() => insert(input, id, orderKey))
        .then(({ result, seq, now }) => {
          if (seq !== undefined) {
            if (cache.size < cacheLimit) {
              cache.set(seq, {
                id,
                direction: input.direction,
                connectorId: input.connectorId,
                orderKey,
                message: input.message,
                attempts: 0,
                createdAt: now,
              })
            }
            enqueueEntry({
              seq,
              id,
              direction: input.direction,
              connector_id: input.connectorId,
              order_key: orderKey,
              attempts: 0,
              next_at: now,
            })
          }
          return result
        })
    },

    async start(h) {
      handlers = h
      for (const row of loadReady.all()) enqueueEntry(row)
      lastDataVersion = db.pragma('data_version', { simple: true }) as number
      pollTimer = setInterval(pollExternal, options.externalPollMs ?? 1000)
      pollTimer.unref()
    },

    configure(connectorId, direction, limits) {
      scheduler.configure(laneName(direction, connectorId), {
        ...(limits.concurrency === undefined ? {} : { concurrency: limits.concurrency }),
        ...(limits.ratePerSecond === undefined ? {} : { ratePerSecond: limits.ratePerSecond }),
      })
    },
    pause(connectorId, direction) {
      scheduler.pause(laneName(direction, connectorId))
    },
    resume(connectorId, direction) {
      scheduler.resume(laneName(direction, connectorId))
    },
    retryNow(connectorId, direction) {
      scheduler.dueNow(laneName(direction, connectorId))
    },

    stopIntake() {
      accepting = false
    },

    async drain(timeoutMs) {
      accepting = false
      scheduler.stop()
      let timer: NodeJS.Timeout | undefined
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs)
      })
      const done = await Promise.race([scheduler.idle().then(() => true), timeout])
      clearTimeout(timer)
      writer.flush()
      return done
    },

    async close() {
      if (closed) return
      closed = true
      accepting = false
      scheduler.stop()
      writer.flush()
      if (pollTimer) clearInterval(pollTimer)
    },

    async listDead(opts = {}) {
      return listDeadLetters(db, opts)
    },

    async replay(ids) {
      const rows = replayDeadLetters(db, ids)
      for (const row of rows) enqueueEntry(row)
      return rows.length
    },

    async stats(): Promise<PipelineStats> {
      const counts = Object.fromEntries(countStmt.all().map((r) => [r.state, r.n]))
      return { ready: counts.ready ?? 0, dead: counts.dead ?? 0, inFlight: scheduler.active }
    },
  }
}

function safe(fn: () => void) {
  try {
    fn()
  } catch {
    // Observers must not break delivery.
  }
}

/** Reads dead letters straight from the store; used by the pipeline and by the CLI. */
export function listDeadLetters(
  db: SqliteDb,
  opts: { limit?: number; connectorId?: string } = {},
): DeadLetter[] {
  const rows = db
    .prepare<
      [string | null, string | null, number],
      JobRow & { last_error: string; dead_at: number }
    >(
      `SELECT * FROM jobs WHERE state = 'dead' AND (? IS NULL OR connector_id = ?) ORDER BY dead_at LIMIT ?`,
    )
    .all(opts.connectorId ?? null, opts.connectorId ?? null, opts.limit ?? 100)
  return rows.map((r) => ({
    id: r.id,
    direction: r.direction,
    connectorId: r.connector_id,
    attempts: r.attempts,
    reason: r.last_error,
    createdAt: r.created_at,
    deadAt: r.dead_at,
    message: JSON.parse(r.message) as CimMessage,
  }))
}

/**
 * Moves dead letters back to the queue with a fresh budget. They get a new seq so a running
 * host polling for work added by another process picks them up.
 */
export function replayDeadLetters(db: SqliteDb, ids?: string[]): JobRow[] {
  const now = Date.now()
  const select = db.prepare<[], JobRow>(`SELECT * FROM jobs WHERE state = 'dead' ORDER BY seq`)
  const remove = db.prepare<[number]>('DELETE FROM jobs WHERE seq = ?')
  const insert = db.prepare(
    `INSERT INTO jobs (id, direction, connector_id, order_key, message, attempts, next_at, created_at)
     VALUES (@id, @direction, @connector_id, @order_key, @message, 0, @now, @created_at)`,
  )
  return db.transaction(() => {
    const wanted = ids ? new Set(ids) : undefined
    const out: JobRow[] = []
    for (const row of select.all()) {
      if (wanted && !wanted.has(row.id)) continue
      remove.run(row.seq)
      const seq = Number(insert.run({ ...row, now }).lastInsertRowid)
      out.push({ ...row, seq, attempts: 0, next_at: now })
    }
    return out
  })()
}
