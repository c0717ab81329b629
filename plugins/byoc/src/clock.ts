/**
 * @module
 * Time as the plugin sees it. Idle prompts, countdowns and token lifetimes read this clock, so
 * tests can move time forward instead of waiting for it.
 */

export type TimerCallback = () => void | Promise<void>

export interface Clock {
  now(): number
  /** Calls `fn` after `ms`; the returned function cancels it. Never keeps the process alive. */
  after(ms: number, fn: TimerCallback): () => void
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  after(ms, fn) {
    const timer = setTimeout(() => void Promise.resolve().then(fn), ms)
    timer.unref()
    return () => clearTimeout(timer)
  },
}

export interface FakeClock extends Clock {
  /** Moves time forward, running every timer that falls due in order and awaiting each one. */
  advance(ms: number): Promise<void>
  /** Timers waiting to fire. */
  readonly pending: number
}

/**
 * A clock that only moves when told to.
 * @example
 * const clock = createFakeClock()
 * const plugin = createByocPlugin({ clock })
 * await clock.advance(120_000) // the idle prompt is sent
 */
export function createFakeClock(start = Date.UTC(2026, 0, 5, 10, 0, 0)): FakeClock {
  let now = start
  let seq = 0
  const timers = new Map<number, { at: number; fn: TimerCallback }>()
  return {
    now: () => now,
    after(ms, fn) {
      const id = ++seq
      timers.set(id, { at: now + Math.max(0, ms), fn })
      return () => {
        timers.delete(id)
      }
    },
    async advance(ms) {
      const until = now + ms
      for (;;) {
        let next: [number, { at: number; fn: TimerCallback }] | undefined
        for (const entry of timers) {
          if (entry[1].at <= until && (!next || entry[1].at < next[1].at)) next = entry
        }
        if (!next) break
        timers.delete(next[0])
        now = Math.max(now, next[1].at)
        await next[1].fn()
      }
      now = until
    },
    get pending() {
      return timers.size
    },
  }
}
