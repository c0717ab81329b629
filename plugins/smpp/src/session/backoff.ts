export interface BackoffOptions {
  minMs: number
  maxMs: number
}

/**
 * Exponential backoff with equal jitter: half fixed, half random, so many connectors re-binding
 * after one SMSC outage spread out but never come back sooner than half the nominal delay.
 * `attempt` is 0 for the first retry.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const nominal = Math.min(options.maxMs, options.minMs * 2 ** Math.min(attempt, 30))
  return Math.round(nominal / 2 + random() * (nominal / 2))
}
