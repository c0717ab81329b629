/**
 * @module
 * The bearer tokens the middleware issues to CXone. A token is random; only its hash is stored
 * (in the connector's store, so every replica accepts it), with its expiry and the generation of
 * the client credentials it was issued for: rotating the client secret revokes older tokens.
 */
import { createHash, randomBytes } from 'node:crypto'
import { errorResponse, type KeyValueStore } from '@plugboard/sdk'
import type { Clock } from '../clock.js'

export type TokenCheck = 'ok' | 'missing' | 'invalid' | 'expired'

export interface IssuedTokens {
  issue(): Promise<{ token: string; expiresIn: number }>
  /** Checks an `Authorization` header. */
  verify(authorization: string | null): Promise<TokenCheck>
}

interface TokenRecord {
  expiresAt: number
  generation: string
}

export interface IssuedTokensOptions {
  store: KeyValueStore
  clock: Clock
  ttlSeconds: number
  /** Identifies the client credentials; tokens of another generation are refused. */
  clientId: string
  clientSecret: string
  /** Told about every refused bearer token (for a metric). */
  onRefused?(check: Exclude<TokenCheck, 'ok'>): void
}

// Enough for every token of a busy tenant; beyond it checks fall back to the store.
const CACHE_LIMIT = 10_000

export function createIssuedTokens(options: IssuedTokensOptions): IssuedTokens {
  const generation = sha256(`plugboard-byoc\u0000${options.clientId}\u0000${options.clientSecret}`)
  const cache = new Map<string, TokenRecord>()
  const key = (hash: string) => `bearer:${hash}`

  const remember = (hash: string, record: TokenRecord) => {
    if (cache.size >= CACHE_LIMIT) {
      const now = options.clock.now()
      for (const [h, r] of cache) if (r.expiresAt <= now) cache.delete(h)
      if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!)
    }
    cache.set(hash, record)
  }

  return {
    async issue() {
      const token = randomBytes(32).toString('base64url')
      const hash = sha256(token)
      const record: TokenRecord = {
        expiresAt: options.clock.now() + options.ttlSeconds * 1000,
        generation,
      }
      await options.store.set(key(hash), record, { ttlMs: options.ttlSeconds * 1000 })
      remember(hash, record)
      return { token, expiresIn: options.ttlSeconds }
    },
    async verify(authorization) {
      const check = await checkToken(authorization)
      if (check !== 'ok') options.onRefused?.(check)
      return check
    },
  }

  async function checkToken(authorization: string | null): Promise<TokenCheck> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')
    if (!match) return 'missing'
    const hash = sha256(match[1]!)
    let record = cache.get(hash)
    if (!record) {
      record = await options.store.get<TokenRecord>(key(hash))
      if (record) remember(hash, record)
    }
    if (!record || record.generation !== generation) return 'invalid'
    if (record.expiresAt <= options.clock.now()) {
      cache.delete(hash)
      return 'expired'
    }
    return 'ok'
  }
}

/** The 401 that makes CXone fetch a new token from the token URL and try again. */
export function unauthorized(check: Exclude<TokenCheck, 'ok'>): Response {
  const why =
    check === 'missing'
      ? 'no bearer token'
      : check === 'expired'
        ? 'the bearer token expired'
        : 'the bearer token is not one this connector issued (or the client secret changed)'
  const res = errorResponse(
    401,
    'INVALID_TOKEN',
    `${why}; get a token from the token URL (.../integration/box/1.0/token) and try again`,
  )
  res.headers.set('www-authenticate', 'Bearer error="invalid_token"')
  return res
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url')
}
