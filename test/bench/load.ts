import { randomBytes } from 'node:crypto'
import autocannon from 'autocannon'

/** Closed-loop load: each connection sends its next request as soon as the last one is answered. */
export interface LoadOptions {
  /** Base URL of the relay under test. */
  url: string
  seconds: number
  connections?: number
  /** Distinct senders cycled through, so the host sees many conversations, as in production. */
  customers?: number
}

export interface LoadResult {
  /** 2xx answers, i.e. messages the relay accepted. */
  accepted: number
  /** Requests written to the wire; those still in flight at the end are neither 2xx nor errors. */
  sent: number
  acceptedPerSec: number
  p50: number
  p99: number
  max: number
  non2xx: number
  errors: number
  timeouts: number
  seconds: number
}

/**
 * A generic-http inbound webhook with a unique provider id per request, so de-duplication keeps
 * every one. The ids come from setupRequest rather than autocannon's `idReplacement`: autocannon
 * 8 sizes Content-Length for a fixed id length that hyperid 3 does not produce, so every request
 * would hang waiting for bytes that never come.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const run = randomBytes(6).toString('base64url')
  const customers = options.customers ?? 1_000
  let n = 0
  const result = await autocannon({
    url: options.url,
    connections: options.connections ?? 100,
    duration: options.seconds,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: '/webhooks/bench/message',
        headers: { 'content-type': 'application/json' },
        setupRequest(req) {
          n++
          const body = `{"id":"${run}-${n}","from":"+4915550${n % customers}","to":"1000","text":"hello from the benchmark"}`
          return { ...req, body }
        },
      },
    ],
  })
  return {
    accepted: result['2xx'],
    sent: result.requests.sent,
    acceptedPerSec: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: result.duration,
  }
}
