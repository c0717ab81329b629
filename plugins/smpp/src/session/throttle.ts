import type { Clock } from './clock.js'

export interface Throttle {
  /** Takes a permit and returns 0, or returns how many ms until one is free (taking nothing). */
  reserve(): number
}

/**
 * Paces submits to `tps` per second (GCRA). The burst allowance is small (20 ms worth of
 * traffic) and nothing is saved up while idle, so an SMSC counting per sliding second never sees
 * more than `tps` plus that burst. `tps` of 0 means unlimited.
 */
export function createThrottle(tps: number, clock: Clock): Throttle {
  if (!(tps > 0)) return { reserve: () => 0 }
  const interval = 1000 / tps
  const burst = Math.max(1, Math.floor(tps / 50))
  const tolerance = interval * (burst - 1)
  let tat = Number.NEGATIVE_INFINITY
  return {
    reserve() {
      const now = clock.now()
      const wait = tat - tolerance - now
      if (wait > 0) return wait
      tat = Math.max(tat, now) + interval
      return 0
    },
  }
}
