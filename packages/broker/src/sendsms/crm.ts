import { classifyHttpStatus, type HttpClient, isPluginError, type Logger } from '@plugboard/sdk'
import type { DeliveryReport } from './report.js'

export interface CrmOptions {
  /** CRM_API_URL: the report is POSTed here as JSON. */
  url: string
  /** CRM_API_USER / CRM_API_PASSWORD: basic auth, when set. */
  user?: string
  password?: string
  http: HttpClient
  log: Logger
  timeoutMs?: number
  /** Tries per report before it is given up (logged). Default 5. */
  maxAttempts?: number
  /** First retry delay, doubled per try. Default 1 s. */
  baseDelayMs?: number
}

export interface CrmClient {
  /** Sends in the background, retrying transient failures. */
  push(report: DeliveryReport): void
  /** Resolves when nothing is being sent or waiting for a retry. */
  idle(): Promise<void>
  /** Drops pending retries. */
  close(): void
}

/**
 * Pushes SMS delivery reports to a third-party CRM over REST with basic auth. Reports are
 * retried on timeouts, 5xx, 429 and 401/403 (credentials being rotated), and given up on other
 * 4xx. They are not durable: a report still being retried when the host stops is lost (the
 * delivery queue, when enabled, has every report).
 */
export function createCrmClient(options: CrmOptions): CrmClient {
  const { http, url } = options
  const log = options.log.child({ component: 'crm' })
  const maxAttempts = options.maxAttempts ?? 5
  const baseDelayMs = options.baseDelayMs ?? 1_000
  const where = redact(url)
  const authorization =
    options.user !== undefined
      ? `Basic ${Buffer.from(`${options.user}:${options.password ?? ''}`).toString('base64')}`
      : undefined
  const timers = new Set<NodeJS.Timeout>()
  let pending = 0
  let waiters: (() => void)[] = []
  let closed = false

  const settle = () => {
    pending--
    if (pending === 0) {
      const w = waiters
      waiters = []
      for (const resolve of w) resolve()
    }
  }

  async function attempt(report: DeliveryReport, n: number): Promise<void> {
    let outcome: 'ok' | 'retry' | 'give-up'
    let detail: string
    try {
      const res = await http(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(authorization ? { authorization } : {}),
        },
        body: JSON.stringify(report),
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      })
      const kind = classifyHttpStatus(res.status)
      outcome = kind === 'ok' ? 'ok' : kind === 'terminal' ? 'give-up' : 'retry'
      detail = `answered ${res.status}`
    } catch (error) {
      outcome = isPluginError(error) && !error.retryable ? 'give-up' : 'retry'
      detail = error instanceof Error ? error.message : String(error)
    }
    const context = { crm: where, messageId: report.messageId, status: report.status, attempt: n }
    if (outcome === 'ok') return settle()
    if (outcome === 'give-up' || n >= maxAttempts || closed) {
      log.error({ ...context, reason: detail }, 'CRM update given up')
      return settle()
    }
    const delay = Math.round(baseDelayMs * 2 ** (n - 1) * (0.5 + Math.random() / 2))
    log.warn({ ...context, reason: detail, retryInMs: delay }, 'CRM update failed; will retry')
    const timer = setTimeout(() => {
      timers.delete(timer)
      void attempt(report, n + 1)
    }, delay)
    timers.add(timer)
  }

  return {
    push(report) {
      if (closed) return
      pending++
      void attempt(report, 1)
    },
    idle() {
      return pending === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve))
    },
    close() {
      closed = true
      for (const timer of timers) clearTimeout(timer)
      for (let i = timers.size; i > 0; i--) settle()
      timers.clear()
    },
  }
}

// The URL may carry credentials in its user-info; logs get the origin and path only.
function redact(url: string): string {
  try {
    const u = new URL(url)
    return `${u.origin}${u.pathname}`
  } catch {
    return '<CRM_API_URL>'
  }
}
