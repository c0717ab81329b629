import { isPluginError } from '@plugboard/sdk'
import { HostError } from '../errors.js'

export interface RetryPolicy {
  /** First retry delay. */
  baseDelayMs: number
  /** Ceiling of the exponential backoff (Retry-After may ask for longer, up to maxRetryAfterMs). */
  maxDelayMs: number
  /** Attempts before a retryable failure is dead-lettered. */
  maxAttempts: number
  /** Attempts a message waits through auth failures (401/403) before it is dead-lettered. */
  maxAuthAttempts: number
  maxRetryAfterMs: number
}

export const DEFAULT_RETRY: RetryPolicy = {
  baseDelayMs: 1_000,
  maxDelayMs: 5 * 60_000,
  maxAttempts: 20,
  maxAuthAttempts: 30,
  maxRetryAfterMs: 60 * 60_000,
}

export type Decision =
  | { action: 'retry'; delayMs: number; kind: 'retryable' | 'auth' }
  | { action: 'dead'; reason: string }

/**
 * Decides what happens after a failed attempt. `attempt` counts the one that just failed (1 = first).
 * Backoff is exponential with equal jitter (half fixed, half random), so retries of many messages
 * spread out but never come sooner than half the nominal delay.
 */
export function decide(
  error: unknown,
  attempt: number,
  policy: RetryPolicy,
  random = Math.random,
): Decision {
  const kind = classify(error)
  const reason = reasonOf(error)
  if (kind === 'terminal') return { action: 'dead', reason: `terminal: ${reason}` }
  const budget = kind === 'auth' ? policy.maxAuthAttempts : policy.maxAttempts
  if (attempt >= budget)
    return { action: 'dead', reason: `gave up after ${attempt} attempts: ${reason}` }
  const retryAfter = retryAfterOf(error)
  if (retryAfter !== undefined) {
    return {
      action: 'retry',
      kind,
      delayMs: Math.min(Math.max(retryAfter, 0), policy.maxRetryAfterMs),
    }
  }
  const nominal = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1))
  return { action: 'retry', kind, delayMs: Math.round(nominal / 2 + random() * (nominal / 2)) }
}

export function classify(error: unknown): 'retryable' | 'terminal' | 'auth' {
  if (isPluginError(error)) return error.kind
  if (error instanceof HostError) {
    if (error.code === 'MESSAGE_INVALID' || error.code === 'CHANNEL_NOT_FOUND') return 'terminal'
    return 'retryable'
  }
  // Anything unexpected (a bug, a dropped socket) is retried within the budget, never dropped.
  return 'retryable'
}

function retryAfterOf(error: unknown): number | undefined {
  return isPluginError(error) ? error.retryAfterMs : undefined
}

function reasonOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code
    const provider = (error as { providerCode?: unknown }).providerCode
    const prefix = typeof code === 'string' ? `${code} ` : ''
    const suffix = typeof provider === 'string' ? ` (provider code ${provider})` : ''
    return `${prefix}${error.message}${suffix}`.slice(0, 1000)
  }
  return String(error).slice(0, 1000)
}
