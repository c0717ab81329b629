import type { Clock } from '../src/session/clock.js'

export interface ManualClock extends Clock {
  /** Moves time forward, firing due timers in time order (also ones they schedule). */
  advance(ms: number): void
  /** Timers not fired yet. */
  readonly pending: number
}

/** A clock that only moves when told: timer-driven behaviour without waiting. */
export function createManualClock(start = 1_000_000): ManualClock {
  let now = start
  let nextHandle = 0
  const timers = new Map<number, { at: number; fn: () => void }>()
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const handle = ++nextHandle
      timers.set(handle, { at: now + Math.max(0, ms), fn })
      return handle
    },
    clearTimeout(handle) {
      timers.delete(handle as number)
    },
    advance(ms) {
      const target = now + ms
      for (;;) {
        let due: [number, { at: number; fn: () => void }] | undefined
        for (const entry of timers) {
          if (entry[1].at <= target && (!due || entry[1].at < due[1].at)) due = entry
        }
        if (!due) break
        timers.delete(due[0])
        now = due[1].at
        due[1].fn()
      }
      now = target
    },
    get pending() {
      return timers.size
    },
  }
}
