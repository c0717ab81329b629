/**
 * How a failed call should be treated by the host's delivery pipeline.
 * - `retryable`: try again later with backoff (timeouts, 5xx, 429, throttling).
 * - `terminal`: retrying cannot help (invalid number, 4xx); the message fails.
 * - `auth`: the provider refused our credentials (401/403). Credentials are rotated more often
 *   than they are wrong, so the message waits (bounded) for a config change or the next retry and
 *   the connector reports itself degraded.
 */
export type FailureKind = 'retryable' | 'terminal' | 'auth'

export interface PluginErrorOptions {
  cause?: unknown
  /** The provider asked us to wait this long (from `Retry-After` or a provider field). */
  retryAfterMs?: number
  /** The provider's own error code, reported to CCM as the reason of a failed delivery. */
  providerCode?: string
  /** HTTP status the provider answered with, when there was one. */
  status?: number
}

/**
 * The error a plugin throws from `send` (or anything the host calls) to say what went wrong and
 * whether trying again can help.
 */
export class PluginError extends Error {
  override readonly name = 'PluginError'
  readonly code: string
  readonly kind: FailureKind
  readonly retryAfterMs: number | undefined
  readonly providerCode: string | undefined
  readonly status: number | undefined

  constructor(kind: FailureKind, code: string, message: string, options: PluginErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.kind = kind
    this.code = code
    this.retryAfterMs = options.retryAfterMs
    this.providerCode = options.providerCode
    this.status = options.status
  }

  get retryable(): boolean {
    return this.kind !== 'terminal'
  }

  static retryable(code: string, message: string, options?: PluginErrorOptions): PluginError {
    return new PluginError('retryable', code, message, options)
  }

  static terminal(code: string, message: string, options?: PluginErrorOptions): PluginError {
    return new PluginError('terminal', code, message, options)
  }

  static auth(code: string, message: string, options?: PluginErrorOptions): PluginError {
    return new PluginError('auth', code, message, options)
  }
}

export function isPluginError(error: unknown): error is PluginError {
  return (
    error instanceof PluginError ||
    (typeof error === 'object' &&
      error !== null &&
      (error as { name?: unknown }).name === 'PluginError' &&
      typeof (error as { kind?: unknown }).kind === 'string')
  )
}

/**
 * Classifies an HTTP status from a provider or CCM the way the delivery semantics require:
 * 408, 425, 429 and 5xx are retryable, 401/403 are auth failures, other 4xx are terminal.
 */
export function classifyHttpStatus(status: number): FailureKind | 'ok' {
  if (status >= 200 && status < 300) return 'ok'
  if (status === 401 || status === 403) return 'auth'
  if (status === 408 || status === 425 || status === 429 || status >= 500) return 'retryable'
  return 'terminal'
}

/**
 * Parses a `Retry-After` header (delta seconds or an HTTP date) into milliseconds from `now`.
 * Returns undefined for a missing or unreadable value.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now = Date.now(),
): number | undefined {
  if (value == null || value.trim() === '') return undefined
  const trimmed = value.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000)
  const date = Date.parse(trimmed)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - now)
}
