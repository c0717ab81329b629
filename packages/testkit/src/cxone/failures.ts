/**
 * @module
 * Failures on demand: a queue of one-off failures and a `down` mode, for the DE API and the
 * token endpoint separately.
 */

import { deError, oauthError } from './errors.js'
import type { CxoneFailure } from './types.js'

export type Target = 'api' | 'auth'

export interface Failures {
  failNext(n: number, failure: CxoneFailure): void
  setDown(failure: CxoneFailure | undefined): void
  /** Takes the failure due for a request to `target`, if any. */
  take(target: Target): CxoneFailure | undefined
  /** Looks without taking (connection resets are decided before routing). */
  peek(target: Target): CxoneFailure | undefined
}

export function createFailures(): Failures {
  const queue: CxoneFailure[] = []
  let down: CxoneFailure | undefined
  const targetOf = (f: CxoneFailure): Target => f.on ?? 'api'
  return {
    failNext(n, failure) {
      for (let i = 0; i < n; i++) queue.push(failure)
    },
    setDown(failure) {
      down = failure
    },
    take(target) {
      const at = queue.findIndex((f) => targetOf(f) === target)
      if (at >= 0) return queue.splice(at, 1)[0]
      return down && targetOf(down) === target ? down : undefined
    },
    peek(target) {
      return (
        queue.find((f) => targetOf(f) === target) ??
        (down && targetOf(down) === target ? down : undefined)
      )
    },
  }
}

/** The answer of an `error` failure (a timeout answers 504 once its hold ends). */
export function failureResponse(failure: CxoneFailure, target: Target): Response {
  const given = failure.kind === 'timeout' || failure.kind === 'reset' ? {} : failure
  const status = failure.kind === 'timeout' ? 504 : (given.status ?? 503)
  const message = given.message ?? `Simulated CXone failure ${status}`
  const res =
    target === 'auth'
      ? oauthError(status, status >= 500 ? 'server_error' : 'invalid_request', message)
      : deError(status, message, given.errorCode ?? defaultCode(status))
  if (given.retryAfter !== undefined) res.headers.set('retry-after', String(given.retryAfter))
  return res
}

function defaultCode(status: number): string {
  if (status === 429) return 'TooManyRequests'
  if (status === 401) return 'Unauthorized'
  if (status >= 500) return 'ServiceUnavailable'
  return 'BadRequest'
}
