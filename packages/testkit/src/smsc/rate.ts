/** Counts events in a sliding one-second window, as SMSCs do to enforce an account's TPS. */
export function createRateWindow() {
  const times: number[] = []
  return {
    /** True (and counted) when fewer than `limit` events happened in the last second. */
    tryTake(limit: number, now = performance.now()): boolean {
      while (times.length > 0 && (times[0] as number) <= now - 1000) times.shift()
      if (times.length >= limit) return false
      times.push(now)
      return true
    },
  }
}
