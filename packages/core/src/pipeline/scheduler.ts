/**
 * In-memory dispatch order for durable jobs: one FIFO per order key, grouped in lanes (one lane
 * per connector and direction). A key's head blocks the rest of that key while it is in flight or
 * waiting for a retry, which is what keeps a conversation in order; different keys run in
 * parallel up to the lane's concurrency and rate.
 */
export interface Entry {
  seq: number
  id: string
  nextAt: number
  attempts: number
}

export interface LaneOptions {
  concurrency: number
  /** Sustained starts per second; undefined for no limit. */
  ratePerSecond?: number
}

type RunFn = (lane: string, key: string, entry: Entry) => void

interface Lane {
  name: string
  options: LaneOptions
  keys: Map<string, Entry[]>
  ready: Set<string>
  busy: Set<string>
  timers: Map<string, NodeJS.Timeout>
  active: number
  paused: boolean
  tokens: number
  tokensAt: number
  rateTimer: NodeJS.Timeout | undefined
}

export class Scheduler {
  readonly #lanes = new Map<string, Lane>()
  readonly #run: RunFn
  readonly #defaults: LaneOptions
  #idleWaiters: (() => void)[] = []
  #stopped = false

  constructor(run: RunFn, defaults: LaneOptions) {
    this.#run = run
    this.#defaults = defaults
  }

  configure(laneName: string, options: Partial<LaneOptions>): void {
    const lane = this.#lane(laneName)
    lane.options = { ...lane.options, ...options }
    if (options.ratePerSecond !== undefined)
      lane.tokens = Math.min(lane.tokens, burst(lane.options))
    this.#pump(lane)
  }

  add(laneName: string, key: string, entry: Entry): void {
    const lane = this.#lane(laneName)
    const queue = lane.keys.get(key)
    if (queue) {
      queue.push(entry)
      return
    }
    lane.keys.set(key, [entry])
    this.#arm(lane, key, entry)
  }

  /** The head of `key` finished (delivered or dead-lettered). */
  complete(laneName: string, key: string): void {
    const lane = this.#lane(laneName)
    this.#release(lane, key)
    const queue = lane.keys.get(key)
    queue?.shift()
    if (!queue || queue.length === 0) lane.keys.delete(key)
    else this.#arm(lane, key, queue[0]!)
    this.#pump(lane)
  }

  /** The head of `key` failed and waits until `nextAt`; it keeps blocking the key. */
  reschedule(laneName: string, key: string, nextAt: number): void {
    const lane = this.#lane(laneName)
    this.#release(lane, key)
    const head = lane.keys.get(key)?.[0]
    if (head) {
      head.nextAt = nextAt
      head.attempts++
      this.#arm(lane, key, head)
    }
    this.#pump(lane)
  }

  /**
   * Forgets the entries of `key` that are not running (their messages went back to a broker) and
   * returns them in order; a running head stays and reports back as usual.
   */
  dropWaiting(laneName: string, key: string): Entry[] {
    const lane = this.#lanes.get(laneName)
    const queue = lane?.keys.get(key)
    if (!lane || !queue) return []
    const keep = lane.busy.has(key) ? 1 : 0
    const dropped = queue.splice(keep)
    if (keep === 0) {
      const timer = lane.timers.get(key)
      if (timer) clearTimeout(timer)
      lane.timers.delete(key)
      lane.ready.delete(key)
      lane.keys.delete(key)
    }
    return dropped
  }

  pause(laneName: string): void {
    this.#lane(laneName).paused = true
  }

  resume(laneName: string): void {
    const lane = this.#lane(laneName)
    lane.paused = false
    this.#pump(lane)
  }

  /** Makes every waiting head in the lane due now. */
  dueNow(laneName: string): void {
    const lane = this.#lane(laneName)
    const now = Date.now()
    for (const [key, queue] of lane.keys) {
      if (lane.busy.has(key)) continue
      const head = queue[0]!
      head.nextAt = Math.min(head.nextAt, now)
      this.#arm(lane, key, head)
    }
    this.#pump(lane)
  }

  get active(): number {
    let n = 0
    for (const lane of this.#lanes.values()) n += lane.active
    return n
  }

  /** Resolves when nothing is in flight. */
  idle(): Promise<void> {
    if (this.active === 0) return Promise.resolve()
    return new Promise((resolve) => this.#idleWaiters.push(resolve))
  }

  /** Stops starting jobs and clears timers; in-flight jobs still report back. */
  stop(): void {
    this.#stopped = true
    for (const lane of this.#lanes.values()) {
      for (const t of lane.timers.values()) clearTimeout(t)
      lane.timers.clear()
      if (lane.rateTimer) clearTimeout(lane.rateTimer)
    }
  }

  #lane(name: string): Lane {
    let lane = this.#lanes.get(name)
    if (!lane) {
      lane = {
        name,
        options: { ...this.#defaults },
        keys: new Map(),
        ready: new Set(),
        busy: new Set(),
        timers: new Map(),
        active: 0,
        paused: false,
        tokens: burst(this.#defaults),
        tokensAt: Date.now(),
        rateTimer: undefined,
      }
      this.#lanes.set(name, lane)
    }
    return lane
  }

  #arm(lane: Lane, key: string, head: Entry): void {
    const existing = lane.timers.get(key)
    if (existing) {
      clearTimeout(existing)
      lane.timers.delete(key)
    }
    const wait = head.nextAt - Date.now()
    if (wait <= 0) {
      lane.ready.add(key)
      this.#pump(lane)
      return
    }
    lane.ready.delete(key)
    if (this.#stopped) return
    const timer = setTimeout(() => {
      lane.timers.delete(key)
      lane.ready.add(key)
      this.#pump(lane)
    }, wait)
    timer.unref()
    lane.timers.set(key, timer)
  }

  #release(lane: Lane, key: string): void {
    if (lane.busy.delete(key)) lane.active--
    if (this.active === 0 && this.#idleWaiters.length > 0) {
      const waiters = this.#idleWaiters
      this.#idleWaiters = []
      for (const w of waiters) w()
    }
  }

  #pump(lane: Lane): void {
    if (this.#stopped || lane.paused) return
    while (lane.active < lane.options.concurrency && lane.ready.size > 0) {
      const key = lane.ready.values().next().value as string
      const head = lane.keys.get(key)?.[0]
      if (!head || lane.busy.has(key)) {
        lane.ready.delete(key)
        continue
      }
      // Only a job that will really start spends a rate token; otherwise it waits in `ready`.
      if (!this.#takeToken(lane)) return
      lane.ready.delete(key)
      lane.busy.add(key)
      lane.active++
      this.#run(lane.name, key, head)
    }
  }

  #takeToken(lane: Lane): boolean {
    const rate = lane.options.ratePerSecond
    if (!rate) return true
    const now = Date.now()
    lane.tokens = Math.min(burst(lane.options), lane.tokens + ((now - lane.tokensAt) / 1000) * rate)
    lane.tokensAt = now
    if (lane.tokens >= 1) {
      lane.tokens -= 1
      return true
    }
    if (!lane.rateTimer) {
      lane.rateTimer = setTimeout(
        () => {
          lane.rateTimer = undefined
          this.#pump(lane)
        },
        Math.ceil(((1 - lane.tokens) / rate) * 1000),
      )
      lane.rateTimer.unref()
    }
    return false
  }
}

function burst(options: LaneOptions): number {
  return options.ratePerSecond ? Math.max(1, options.ratePerSecond) : Number.POSITIVE_INFINITY
}
