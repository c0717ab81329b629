export interface BackoffOptions {
  initialDelayMs: number
  maxDelayMs: number
}

/**
 * Delay before reconnect round `attempt` (1 = first retry): exponential, capped, with equal
 * jitter (half fixed, half random) so replicas that lost the broker together do not come back
 * in lockstep, yet none retries sooner than half the nominal delay.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random = Math.random,
): number {
  const nominal = Math.min(
    options.maxDelayMs,
    options.initialDelayMs * 2 ** Math.max(0, attempt - 1),
  )
  return Math.round(nominal / 2 + random() * (nominal / 2))
}

/** A sleep that `wake()` cuts short, so close() never waits out a long backoff. */
export function interruptibleSleep(): { sleep(ms: number): Promise<void>; wake(): void } {
  const sleepers = new Set<() => void>()
  return {
    sleep(ms) {
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer)
          sleepers.delete(done)
          resolve()
        }
        const timer = setTimeout(done, ms)
        sleepers.add(done)
      })
    },
    wake() {
      for (const done of [...sleepers]) done()
    },
  }
}
