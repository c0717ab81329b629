import { type HttpClient, type Logger, PluginError, z } from '@plugboard/sdk'
import type { Clock } from '../clock.js'
import { cxoneError } from './errors.js'

export interface AccessKeyCredentials {
  authUrl: string
  accessKeyId: string
  accessKeySecret: string
  clientId: string
  clientSecret: string
}

export interface CxoneOAuthDeps {
  request: HttpClient
  clock: Clock
  log: Logger
  timeoutMs: number
}

/** The middleware's own CXone API token. */
export interface TokenSource {
  /** A token valid for a while yet; fetched (once for all callers) when missing or near expiry. */
  token(): Promise<string>
  /** CXone refused this token (revoked, expired early): the next `token()` fetches a new one. */
  invalidate(token: string): void
}

const TokenAnswerSchema = z.looseObject({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive().optional(),
})

// CXone's tokens last about an hour; a missing expires_in is treated as this.
const DEFAULT_LIFETIME_S = 3_600

/**
 * CXone OAuth with an access key (password grant). The token is cached and refreshed before it
 * expires: at a tenth of its lifetime left, at most a minute early. Concurrent callers share one
 * request, so a burst of messages after a restart asks CXone once.
 */
export function createCxoneOAuth(
  credentials: AccessKeyCredentials,
  deps: CxoneOAuthDeps,
): TokenSource {
  let cached: { token: string; refreshAt: number } | undefined
  let inFlight: Promise<string> | undefined

  async function fetchToken(): Promise<string> {
    const form = new URLSearchParams({
      grant_type: 'password',
      username: credentials.accessKeyId,
      password: credentials.accessKeySecret,
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
    })
    const res = await deps.request(credentials.authUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: form.toString(),
      timeoutMs: deps.timeoutMs,
    })
    if (res.status < 200 || res.status >= 300) {
      // OAuth refuses a grant or a client with 400: a credentials problem, not a bad message.
      throw await cxoneError(res, 'CXone token endpoint', (status) =>
        status === 400 ? 'auth' : undefined,
      )
    }
    let data: unknown
    try {
      data = JSON.parse(await res.text())
    } catch {
      data = undefined
    }
    const parsed = TokenAnswerSchema.safeParse(data)
    if (!parsed.success) {
      throw PluginError.retryable(
        'CXONE_BAD_TOKEN_ANSWER',
        `CXone token endpoint answered ${res.status} without an access_token; retried later`,
      )
    }
    const lifetimeMs = (parsed.data.expires_in ?? DEFAULT_LIFETIME_S) * 1000
    const margin = Math.min(60_000, lifetimeMs / 10)
    cached = { token: parsed.data.access_token, refreshAt: deps.clock.now() + lifetimeMs - margin }
    deps.log.debug({ expiresInS: lifetimeMs / 1000 }, 'CXone API token obtained')
    return cached.token
  }

  return {
    token() {
      if (cached && deps.clock.now() < cached.refreshAt) return Promise.resolve(cached.token)
      inFlight ??= fetchToken().finally(() => {
        inFlight = undefined
      })
      return inFlight
    },
    invalidate(token) {
      if (cached?.token === token) cached = undefined
    },
  }
}
