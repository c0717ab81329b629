import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import {
  DEFAULT_RETRY,
  type Direction,
  decide,
  describeError,
  HostError,
  isHostError,
  type Job,
  type Pipeline,
  type PipelineHandlers,
  type RetryPolicy,
  Scheduler,
  type StateStore,
} from '@plugboard/core'
import { conversationKey, type Logger } from '@plugboard/sdk'
import type { Broker, BrokerMessage, Consumer } from '../broker.js'
import { createDeadLetters } from './dead-letters.js'
import { createInboundDedupe } from './dedupe.js'
import { deadOptions, decode, type Envelope, encode, publishOptions, toJob } from './envelope.js'
import { createHandover } from './handover.js'
import { createMembership } from './membership.js'
import { createTopology, ownerOf, shardOf } from './topology.js'

export interface BrokerPipelineOptions {
  /** The replica's broker connection: publishes, consumes and dead letters go through it. */
  broker: Broker
  /** Shared state (Redis for replicas): de-duplication, attempts, shard roster, handovers. */
  state: StateStore
  log: Logger
  retry?: Partial<RetryPolicy>
  /** Queue names start with it; replicas of one deployment use the same. Default `plugboard`. */
  prefix?: string
  /** Shards per queue; at least the number of replicas, so each gets a share. Default 4. */
  shards?: number
  /** Unacked messages per shard queue consumer. Default 50. */
  prefetch?: number
  /** Concurrency and rate of a lane (connector and direction) without its own settings. */
  lane?: { concurrency?: number; ratePerSecond?: number }
  /** How long an inbound de-duplication key is kept. Default 48 h. */
  dedupeWindowMs?: number
  /**
   * A message held this long (waiting for a retry, or behind one) is handed back and taken again
   * at its place in the queue, which restarts the broker's delivery timeout (RabbitMQ's
   * consumer_timeout, 30 min by default). Default 10 min.
   */
  refreshAfterMs?: number
  /** How long a replica giving up a shard (or shutting down) finishes what it holds. Default 15 s. */
  handoverTimeoutMs?: number
  heartbeatMs?: number
  memberTtlMs?: number
  /** After handing a shard over, keep it if it comes back within this time. Default 30 s. */
  stepDownCooldownMs?: number
  replicaId?: string
}

export interface BrokerPipeline extends Pipeline {
  readonly replicaId: string
  /** Shards this replica should consume, by the current roster. */
  ownedShards(): number[]
}

interface Held {
  seq: number
  envelope: Envelope
  lane: string
  shard: number
  /** The delivery to settle; undefined while handed back for a refresh. */
  message: BrokerMessage | undefined
  /** The connection it came on; an older one means the broker has it back. */
  epoch: number
  receivedAt: number
  releasedAt: number
  running: boolean
  attempts: number
  nextAt: number
}

interface Subscription {
  queue: string
  shard: number
  consumer?: Consumer
  pending?: Promise<void>
  /** Deliveries are taken one at a time, in arrival order. */
  chain: Promise<void>
  /** Once per registration: whether a handover of the shard was going on (handover.ts). */
  gate?: Promise<boolean>
  gatePending: boolean
  /** Deliveries that came while the gate was pending; taken in queue order once it opens. */
  parked?: BrokerMessage[]
}

interface AttemptRecord {
  attempts: number
  nextAt: number
}

const ATTEMPTS = 'pipeline-attempts'
const DAY = 24 * 3600_000
const COMPLETED_MEMORY = 10_000

/**
 * The delivery pipeline on a message broker, with the contract of the embedded one: `submit`
 * resolves once the broker confirmed the publish; delivery is at-least-once, in order per
 * conversation, with retries and a dead-letter queue. Several replicas share the work: each shard
 * queue has one active consumer at a time, and shards are dealt evenly over the live replicas.
 */
export function createBrokerPipeline(options: BrokerPipelineOptions): BrokerPipeline {
  const { broker, state } = options
  const log = options.log.child({ component: 'broker-pipeline' })
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry }
  const shards = options.shards ?? 4
  const prefix = options.prefix ?? 'plugboard'
  const topology = createTopology(prefix, shards)
  const prefetch = options.prefetch ?? 50
  const refreshAfterMs = options.refreshAfterMs ?? 10 * 60_000
  const handoverTimeoutMs = options.handoverTimeoutMs ?? 15_000
  const cooldownMs = options.stepDownCooldownMs ?? 30_000
  const me = options.replicaId ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`
  const laneName = (direction: Direction, connectorId: string) => `${direction}:${connectorId}`

  const membership = createMembership({
    state,
    group: prefix,
    id: me,
    heartbeatMs: options.heartbeatMs ?? 2_000,
    ttlMs: options.memberTtlMs ?? 10_000,
    healthy: () => broker.status().connected,
    log,
  })
  const handover = createHandover(state, { group: prefix, me })
  const dedupe = createInboundDedupe(state, {
    windowMs: options.dedupeWindowMs ?? 48 * 3600_000,
    takeoverMs: 60_000,
  })
  const deadLetters = createDeadLetters({
    broker,
    queue: topology.deadQueue,
    log,
    republish: (envelope) => publishJob({ ...envelope, token: randomUUID() }),
  })
  const scheduler = new Scheduler(run, { concurrency: 16, ...options.lane })

  const held = new Map<number, Held>()
  const byToken = new Map<string, Held>()
  // Tokens delivered here whose ack may have died with a connection: a redelivery is acked, not re-sent.
  const completed = new Set<string>()
  const subscriptions = new Map<string, Subscription>()
  const resumed = new Set<string>()
  const paused = new Set<string>()
  const shardState = Array.from({ length: shards }, () => ({
    leaving: false,
    /** Hand-overs of the shard under way (a step-down and a drain can overlap). */
    handovers: 0,
    cooldownUntil: 0,
    /** While leaving: resolves once the shard's consumers are cancelled and their last deliveries taken. */
    stopped: Promise.resolve(),
  }))
  const declared = new Map<string, Promise<void>>()
  let handlers: PipelineHandlers | undefined
  let epoch = 0
  let seq = 0
  let deadCount = 0
  let accepting = true
  let started = false
  let closed = false
  let connected = broker.status().connected
  let refreshTimer: NodeJS.Timeout | undefined

  const stopWatching = broker.onStatus((status) => {
    if (connected && !status.connected) lost()
    connected = status.connected
  })

  function declare(queue: string): Promise<void> {
    let pending = declared.get(queue)
    if (!pending) {
      const spec =
        queue === topology.deadQueue
          ? { name: queue, deadLetterQueue: topology.unreadableQueue }
          : { name: queue, deadLetterQueue: topology.unreadableQueue, singleActiveConsumer: true }
      pending = broker.assertQueue(spec)
      declared.set(queue, pending)
      pending.catch(() => declared.delete(queue))
    }
    return pending
  }

  async function publishJob(envelope: Envelope): Promise<void> {
    const shard = shardOf(envelope.orderKey, shards)
    const queue = topology.queueOf(envelope.direction, envelope.connectorId, shard)
    await declare(queue)
    await broker.publish(queue, encode(envelope), publishOptions(envelope))
  }

  // --- consuming -------------------------------------------------------------------------------

  function subscriptionFor(queue: string, shard: number): Subscription {
    let sub = subscriptions.get(queue)
    if (!sub) {
      sub = { queue, shard, chain: Promise.resolve(), gatePending: false }
      subscriptions.set(queue, sub)
    }
    return sub
  }

  function subscribe(sub: Subscription): Promise<void> {
    if (sub.consumer || sub.pending || closed || shardState[sub.shard]!.leaving) {
      return sub.pending ?? Promise.resolve()
    }
    sub.pending = (async () => {
      try {
        await declare(sub.queue)
        sub.gate = undefined
        sub.consumer = await broker.consume(sub.queue, (message) => onDelivery(sub, message), {
          prefetch,
        })
      } catch (error) {
        log.error({ err: error, queue: sub.queue }, 'cannot consume a pipeline queue; retrying')
        setTimeout(() => void subscribe(sub), 5_000).unref()
      } finally {
        sub.pending = undefined
      }
    })()
    return sub.pending
  }

  async function unsubscribe(sub: Subscription): Promise<void> {
    await sub.pending
    const consumer = sub.consumer
    sub.consumer = undefined
    sub.gate = undefined
    await consumer?.cancel().catch((error: unknown) => {
      log.warn({ err: error, queue: sub.queue }, 'cancelling a consumer failed')
    })
  }

  function consumeLane(direction: Direction, connectorId: string) {
    for (let shard = 0; shard < shards; shard++) {
      void subscribe(subscriptionFor(topology.queueOf(direction, connectorId, shard), shard))
    }
  }

  function onDelivery(sub: Subscription, message: BrokerMessage): void {
    const at = epoch
    if (!sub.gate) {
      sub.gatePending = true
      sub.gate = handover
        .settle(sub.shard)
        .catch(() => false)
        .then((seen) => {
          sub.gatePending = false
          return seen
        })
    }
    const gate = sub.gate
    if (sub.gatePending) {
      if (sub.parked) {
        sub.parked.push(message)
        return
      }
      const parked = [message]
      sub.parked = parked
      sub.chain = sub.chain.then(async () => {
        const handedOver = await gate
        sub.parked = undefined
        // Taken while another replica was still finishing this shard. What it held (and gave
        // back, head first) is ahead in the queue of anything never delivered before, which may
        // have come first: a release would be redelivered at once, still out of order, so the
        // parked deliveries are taken in queue order instead.
        const ordered = handedOver
          ? [...parked.filter((m) => m.redelivered), ...parked.filter((m) => !m.redelivered)]
          : parked
        for (const m of ordered) {
          if (at !== epoch) continue
          await accept(sub, at, m).catch((error: unknown) => {
            log.error({ err: error, queue: sub.queue }, 'taking a delivery failed; releasing it')
            m.release()
          })
        }
      })
      return
    }
    sub.chain = sub.chain
      .then(async () => {
        await gate
        if (at !== epoch) return
        await accept(sub, at, message)
      })
      .catch((error: unknown) => {
        log.error({ err: error, queue: sub.queue }, 'taking a delivery failed; releasing it')
        message.release()
      })
  }

  async function accept(sub: Subscription, at: number, message: BrokerMessage): Promise<void> {
    if (closed) {
      message.release()
      return
    }
    const decoded = decode(message.body)
    if (!decoded.ok) {
      log.warn({ queue: sub.queue, reason: decoded.reason }, 'unreadable pipeline message')
      message.reject(`unreadable pipeline message: ${decoded.reason}`)
      return
    }
    const envelope = decoded.envelope
    const known = byToken.get(envelope.token)
    if (known) {
      // Handed back for a refresh, or redelivered after a reconnect: it keeps its place in line.
      known.message = message
      known.epoch = at
      known.receivedAt = Date.now()
      known.releasedAt = 0
      return
    }
    if (completed.has(envelope.token)) {
      message.ack()
      return
    }
    stepDownIfNotOwner(sub.shard)
    let attempts = 0
    let nextAt = Date.now()
    if (message.redelivered) {
      // Another replica may have tried it; keep its retry budget and backoff.
      const record = await state.get<AttemptRecord>(ATTEMPTS, envelope.token).catch(() => undefined)
      if (record) {
        attempts = record.attempts
        nextAt = record.nextAt
      }
      if (at !== epoch) return
    }
    const h: Held = {
      seq: ++seq,
      envelope,
      lane: laneName(envelope.direction, envelope.connectorId),
      shard: sub.shard,
      message,
      epoch: at,
      receivedAt: Date.now(),
      releasedAt: 0,
      running: false,
      attempts,
      nextAt,
    }
    held.set(h.seq, h)
    byToken.set(envelope.token, h)
    scheduler.add(h.lane, envelope.orderKey, { seq: h.seq, id: envelope.id, nextAt, attempts })
  }

  function forget(h: Held) {
    held.delete(h.seq)
    byToken.delete(h.envelope.token)
  }

  /** Gives back the waiting messages of h's conversation, in order (a running head stays). */
  function dropConversation(h: Held) {
    for (const entry of scheduler.dropWaiting(h.lane, h.envelope.orderKey)) {
      const dropped = held.get(entry.seq)
      if (!dropped) continue
      forget(dropped)
      dropped.message?.release()
    }
  }

  /** Gives back a conversation whose head just finished an attempt here: head first, in order. */
  function giveBack(head: Held) {
    const followers = scheduler.dropWaiting(head.lane, head.envelope.orderKey)
    forget(head)
    head.message?.release()
    for (const entry of followers) {
      const follower = held.get(entry.seq)
      if (!follower) continue
      forget(follower)
      follower.message?.release()
    }
    scheduler.complete(head.lane, head.envelope.orderKey)
  }

  /** The connection dropped: what we held is back in the broker, possibly with another replica. */
  function lost() {
    epoch++
    for (const sub of subscriptions.values()) sub.gate = undefined
    for (const h of [...held.values()]) {
      if (!h.running && held.has(h.seq)) dropConversation(h)
    }
    log.warn('broker connection lost; held messages went back to their queues')
  }

  // --- delivering ------------------------------------------------------------------------------

  function run(lane: string, key: string, entry: { seq: number }) {
    void attempt(lane, key, entry.seq)
  }

  async function attempt(lane: string, key: string, entrySeq: number) {
    const h = held.get(entrySeq)
    if (!h) {
      scheduler.complete(lane, key)
      return
    }
    if (!h.message) {
      // Handed back for a refresh and not here again yet.
      scheduler.reschedule(lane, key, Date.now() + 200)
      return
    }
    h.running = true
    const job = toJob(h.envelope, h.attempts)
    let failure: { error: unknown } | undefined
    try {
      await handlers!.deliver(job)
    } catch (error) {
      failure = { error }
    }
    if (failure) await failed(h, job, failure.error)
    else delivered(h, job)
  }

  function delivered(h: Held, job: Job) {
    h.message?.ack()
    remember(h.envelope.token)
    forget(h)
    scheduler.complete(h.lane, h.envelope.orderKey)
    if (h.attempts > 0) void state.delete(ATTEMPTS, h.envelope.token).catch(() => undefined)
    safe(() => handlers?.onDelivered?.(job))
  }

  async function failed(h: Held, job: Job, error: unknown) {
    const key = h.envelope.orderKey
    if (h.epoch !== epoch) {
      // Its connection died while it ran: the broker has it back and gives it to whoever
      // consumes the queue now; retrying it here as well would deliver it twice.
      forget(h)
      scheduler.complete(h.lane, key)
      return
    }
    const attemptNo = h.attempts + 1
    const decision = decide(error, attemptNo, policy)
    if (decision.action === 'retry') {
      h.attempts = attemptNo
      h.nextAt = Date.now() + decision.delayMs
      // The message stays here, holding its conversation's place; the record lets a replica that
      // takes it over keep the budget and the backoff.
      const record: AttemptRecord = { attempts: attemptNo, nextAt: h.nextAt }
      const recorded = state.set(ATTEMPTS, h.envelope.token, record, DAY).catch((e: unknown) => {
        log.debug({ err: e }, 'could not record an attempt')
      })
      safe(() => handlers?.onRetry?.({ ...job, attempts: attemptNo }, error, decision.delayMs))
      if (shardState[h.shard]!.leaving) {
        // The shard is being handed over: the next consumer retries it, after the record. Given
        // back before the consumer is cancelled, it would come straight back here.
        await recorded
        // It counts as running until then, so that a hand-over leaves its conversation to it.
        await shardState[h.shard]!.stopped
        h.running = false
        giveBack(h)
        return
      }
      h.running = false
      scheduler.reschedule(h.lane, key, h.nextAt)
      return
    }
    const deadJob = { ...job, attempts: attemptNo }
    try {
      await declare(topology.deadQueue)
      await broker.publish(
        topology.deadQueue,
        encode(h.envelope),
        deadOptions(h.envelope, deadJob, decision.reason),
      )
    } catch (publishError) {
      log.warn(
        { err: publishError, messageId: job.id },
        'could not dead-letter a message; it stays and is tried again',
      )
      h.running = false
      if (shardState[h.shard]!.leaving) giveBack(h)
      else scheduler.reschedule(h.lane, key, Date.now() + policy.baseDelayMs)
      return
    }
    h.message?.ack()
    remember(h.envelope.token)
    forget(h)
    deadCount++
    scheduler.complete(h.lane, key)
    if (h.attempts > 0) void state.delete(ATTEMPTS, h.envelope.token).catch(() => undefined)
    void Promise.resolve()
      .then(() => handlers?.onDead?.(deadJob, decision.reason, error))
      .catch(() => undefined)
  }

  function remember(token: string) {
    completed.add(token)
    if (completed.size > COMPLETED_MEMORY) completed.delete(completed.values().next().value!)
  }

  /** Hands back messages held too long for the broker's delivery timeout (see refreshAfterMs). */
  function refresh() {
    const now = Date.now()
    for (const h of [...held.values()]) {
      // A shard being handed over is not ours to take back.
      if (h.running || !held.has(h.seq) || shardState[h.shard]!.leaving) continue
      if (h.message && now - h.receivedAt >= refreshAfterMs) {
        const message = h.message
        h.message = undefined
        h.releasedAt = now
        message.release()
      } else if (!h.message && h.releasedAt > 0 && now - h.releasedAt >= 60_000) {
        // It went to another consumer: this replica no longer holds the queue.
        log.warn({ messageId: h.envelope.id }, 'a refreshed message did not come back')
        dropConversation(h)
      }
    }
  }

  // --- shards and handover ---------------------------------------------------------------------

  function ownedShards(): number[] {
    const members = membership.members()
    return Array.from({ length: shards }, (_, s) => s).filter((s) => {
      const owner = ownerOf(s, members)
      return owner === undefined || owner === me
    })
  }

  function stepDownIfNotOwner(shard: number) {
    if (!accepting || closed || !membership.fresh()) return
    const members = membership.members()
    const owner = ownerOf(shard, members)
    if (members.length < 2 || owner === undefined || owner === me) return
    const s = shardState[shard]!
    if (s.leaving || Date.now() < s.cooldownUntil) return
    log.info({ shard, owner }, 'handing a shard over to its owner')
    void handOver([shard], handoverTimeoutMs).then(() => {
      s.cooldownUntil = Date.now() + cooldownMs
      for (const sub of subscriptions.values()) if (sub.shard === shard) void subscribe(sub)
    })
  }

  /**
   * Stops consuming the shards and finishes what is held, behind a marker that makes the next
   * consumer wait (see handover.ts). What cannot finish in time goes back in order.
   */
  async function handOver(list: number[], timeoutMs: number): Promise<boolean> {
    const inList = (h: Held) => list.includes(h.shard)
    let stopped!: () => void
    const cancelled = new Promise<void>((resolve) => {
      stopped = resolve
    })
    for (const shard of list) {
      shardState[shard]!.leaving = true
      shardState[shard]!.handovers++
      shardState[shard]!.stopped = cancelled
    }
    // A conversation whose head runs gives itself back, head first, if the attempt fails (see
    // failed()); releasing its followers now would put them ahead of it.
    const headRunning = (h: Held) =>
      [...held.values()].some(
        (x) => x.running && x.lane === h.lane && x.envelope.orderKey === h.envelope.orderKey,
      )
    await Promise.all(
      list.map((shard) =>
        handover.begin(shard, timeoutMs).catch((error: unknown) => {
          log.warn({ err: error, shard }, 'could not announce a shard handover')
        }),
      ),
    )
    const subs = [...subscriptions.values()].filter((sub) => list.includes(sub.shard))
    await Promise.all(subs.map(unsubscribe))
    await Promise.all(subs.map((sub) => sub.chain))
    stopped()
    // A conversation waiting for a retry or a stopped connector would only hold the shard.
    const now = Date.now()
    for (const h of [...held.values()]) {
      if (
        inList(h) &&
        !h.running &&
        held.has(h.seq) &&
        !headRunning(h) &&
        (h.nextAt > now || paused.has(h.lane))
      ) {
        dropConversation(h)
      }
    }
    const deadline = Date.now() + timeoutMs
    const busy = (running?: boolean) =>
      [...held.values()].some((h) => inList(h) && (running === undefined || h.running === running))
    while (busy() && Date.now() < deadline) await sleep(20)
    const finished = !busy()
    // What is left goes back in order. A delivery still running is waited for (its outcome is
    // ours to settle); a failed one gives its conversation back itself (see failed()).
    for (const h of [...held.values()])
      if (inList(h) && !h.running && held.has(h.seq) && !headRunning(h)) dropConversation(h)
    while (busy(true) && Date.now() < deadline + timeoutMs) await sleep(20)
    // Followers of a head that finished meanwhile go back too, in order.
    for (const h of [...held.values()])
      if (inList(h) && !h.running && held.has(h.seq) && !headRunning(h)) dropConversation(h)
    const last = list.filter((shard) => --shardState[shard]!.handovers === 0)
    await Promise.all(
      last.map((shard) =>
        handover.end(shard).catch((error: unknown) => {
          log.warn({ err: error, shard }, 'could not close a shard handover')
        }),
      ),
    )
    for (const shard of last) shardState[shard]!.leaving = false
    return finished
  }

  return {
    replicaId: me,
    ownedShards,

    async submit(input) {
      if (!accepting) throw new HostError('DRAINING', 'the pipeline is not accepting messages')
      const id = input.message.id || randomUUID()
      const orderKey = input.orderKey ?? conversationKey(input.message)
      if (input.dedupeKey) {
        const claim = await dedupe.claim(input.dedupeKey, id)
        if (!claim.claimed) return { status: 'duplicate', id: claim.id }
      }
      const envelope: Envelope = {
        id,
        direction: input.direction,
        connectorId: input.connectorId,
        orderKey,
        createdAt: Date.now(),
        token: randomUUID(),
        message: input.message,
      }
      try {
        await publishJob(envelope)
      } catch (cause) {
        if (input.dedupeKey) await dedupe.abandon(input.dedupeKey, id).catch(() => undefined)
        if (isHostError(cause)) throw cause
        throw new HostError(
          'BROKER_UNAVAILABLE',
          `the message could not be queued: ${describeError(cause)}`,
          { cause },
        )
      }
      if (input.dedupeKey) {
        await dedupe.confirm(input.dedupeKey, id).catch((error: unknown) => {
          log.warn({ err: error }, 'could not confirm a de-duplication key')
        })
      }
      return { status: 'accepted', id }
    },

    async start(h) {
      handlers = h
      started = true
      await declare(topology.deadQueue)
      await membership.start()
      consumeLane('inbound', '')
      for (const connectorId of resumed) consumeLane('outbound', connectorId)
      refreshTimer = setInterval(refresh, Math.min(refreshAfterMs / 4, 30_000))
      refreshTimer.unref()
    },

    configure(connectorId, direction, limits) {
      scheduler.configure(laneName(direction, connectorId), {
        ...(limits.concurrency === undefined ? {} : { concurrency: limits.concurrency }),
        ...(limits.ratePerSecond === undefined ? {} : { ratePerSecond: limits.ratePerSecond }),
      })
    },
    pause(connectorId, direction) {
      // The messages stay here, in order; refresh() keeps them within the broker's timeout.
      paused.add(laneName(direction, connectorId))
      scheduler.pause(laneName(direction, connectorId))
    },
    resume(connectorId, direction) {
      paused.delete(laneName(direction, connectorId))
      scheduler.resume(laneName(direction, connectorId))
      // Outbound queues are consumed once the connector runs here; a replica where it cannot
      // start leaves them to the others.
      if (direction === 'outbound' && !resumed.has(connectorId)) {
        resumed.add(connectorId)
        if (started && !closed) consumeLane('outbound', connectorId)
      }
    },
    retryNow(connectorId, direction) {
      scheduler.dueNow(laneName(direction, connectorId))
    },

    stopIntake() {
      accepting = false
    },

    async drain(timeoutMs) {
      accepting = false
      await membership.stop()
      const finished = await handOver(
        Array.from({ length: shards }, (_, s) => s),
        timeoutMs,
      )
      scheduler.stop()
      return finished
    },

    async close() {
      if (closed) return
      closed = true
      accepting = false
      if (refreshTimer) clearInterval(refreshTimer)
      await membership.stop()
      await Promise.all([...subscriptions.values()].map(unsubscribe))
      for (const h of [...held.values()]) if (!h.running && held.has(h.seq)) dropConversation(h)
      scheduler.stop()
      stopWatching()
    },

    listDead: (opts) => deadLetters.list(opts),
    replay: (ids) => deadLetters.replay(ids),

    async stats() {
      let ready = 0
      for (const h of held.values()) if (!h.running) ready++
      return { ready, inFlight: scheduler.active, dead: deadCount }
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

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
