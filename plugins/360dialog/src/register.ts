/**
 * @module
 * Registering the connector's webhook with 360dialog (`POST …/v1/configs/webhook` with `{url,
 * headers}`) when the connector starts. It runs in the background: a 360dialog outage must not
 * keep the connector from sending, so failures are retried with backoff and the connector reports
 * itself degraded until 360dialog has taken the URL.
 */
import { type HttpClient, isPluginError, type Logger } from '@plugboard/sdk'
import { dialog360Error } from './errors.js'

export interface RegistrationDeps {
  request: HttpClient
  log: Logger
  url: string
  apiKey: string
  /** The webhook URL 360dialog is to call, and the headers it is to send along. */
  webhook: { url: string; headers: Record<string, string> }
  timeoutMs: number
  /** Aborted when the connector stops. */
  signal: AbortSignal
  /** Reports progress: `pending` until done, `ok` once registered, `failed` with the fix. */
  onState(state: RegistrationState): void
  /** First and longest wait between attempts. */
  backoff?: { firstMs: number; maxMs: number }
}

export type RegistrationState =
  | { state: 'pending'; detail: string }
  | { state: 'ok' }
  | { state: 'failed'; detail: string }

/**
 * Why 360dialog would refuse this webhook URL, or undefined: the Cloud API takes HTTPS URLs only,
 * without an explicit port or an underscore in the host name (specs/providers.md §2.2).
 */
export function webhookUrlProblem(url: string): string | undefined {
  const parsed = new URL(url)
  if (parsed.protocol !== 'https:') return 'it is not https'
  if (parsed.port !== '') return `it names a port (${parsed.port})`
  if (parsed.hostname.includes('_')) return 'its host name contains "_"'
  if (parsed.hostname === 'localhost' || /^[0-9.]+$/.test(parsed.hostname)) {
    return 'it is not a public host name'
  }
  return undefined
}

/** Starts registering; resolves when registered, refused for good, or stopped. */
export async function registerWebhook(deps: RegistrationDeps): Promise<void> {
  const problem = webhookUrlProblem(deps.webhook.url)
  if (problem) {
    const detail = `webhook not registered: ${deps.webhook.url} cannot be a 360dialog webhook URL because ${problem}. Set PUBLIC_URL of the host or WEBHOOK-BASE-URL of the connector to the public HTTPS address`
    deps.log.error({ url: deps.webhook.url }, detail)
    deps.onState({ state: 'failed', detail })
    return
  }
  const { firstMs, maxMs } = deps.backoff ?? { firstMs: 1000, maxMs: 300_000 }
  let wait = firstMs
  for (let attempt = 1; !deps.signal.aborted; attempt++) {
    try {
      const res = await deps.request(deps.url, {
        method: 'POST',
        headers: {
          'D360-API-KEY': deps.apiKey,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify(deps.webhook),
        timeoutMs: deps.timeoutMs,
      })
      if (res.status >= 200 && res.status < 300) {
        deps.log.info({ url: deps.webhook.url, attempt }, 'webhook registered with 360dialog')
        deps.onState({ state: 'ok' })
        return
      }
      const error = await dialog360Error(res, '360dialog webhook registration')
      if (error.kind === 'terminal') {
        deps.log.error({ url: deps.webhook.url, code: error.providerCode }, error.message)
        deps.onState({ state: 'failed', detail: error.message })
        return
      }
      wait = Math.max(wait, error.retryAfterMs ?? 0)
      report(deps, error.message, attempt, wait)
    } catch (error) {
      if (!isPluginError(error) || error.kind === 'terminal') {
        const detail = `webhook registration failed: ${error instanceof Error ? error.message : String(error)}`
        deps.log.error({ url: deps.webhook.url }, detail)
        deps.onState({ state: 'failed', detail })
        return
      }
      report(deps, error.message, attempt, wait)
    }
    await pause(wait, deps.signal)
    wait = Math.min(wait * 2, maxMs)
  }
}

function report(deps: RegistrationDeps, reason: string, attempt: number, waitMs: number) {
  deps.log.warn(
    { url: deps.webhook.url, attempt, retryInMs: waitMs },
    `webhook registration: ${reason}`,
  )
  deps.onState({ state: 'pending', detail: `webhook not registered yet: ${reason}` })
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const done = () => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    // A pending registration must never keep a stopping process alive.
    timer.unref()
    signal.addEventListener('abort', done, { once: true })
  })
}
