import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { Agent, request } from 'undici'
import type { LoadResult } from './load.js'

export interface PacedOptions {
  url: string
  seconds: number
  /** Requests per second, spread evenly. */
  rate: number
  connections?: number
  customers?: number
  /** Sent first at the same rate and left out of the latency figures: opens the pool's sockets. */
  leadInSeconds?: number
}

/**
 * Open-loop load at a fixed rate, for latency. autocannon's `overallRate` does not fit: each
 * connection fires its whole per-second quota back to back at the start of every second, and its
 * coordinated-omission correction assumes a 1 ms interval, adding hundreds of synthetic samples
 * per slow response. Here every request has a scheduled send time and its latency is measured
 * from that time, so a stall anywhere (server, pool, this process) shows in the percentiles.
 */
export async function runPaced(options: PacedOptions): Promise<LoadResult> {
  const run = randomBytes(6).toString('base64url')
  const customers = options.customers ?? 1_000
  const agent = new Agent({ connections: options.connections ?? 100, keepAliveTimeout: 30_000 })
  const endpoint = `${options.url}/webhooks/bench/message`
  const leadIn = Math.round(options.rate * (options.leadInSeconds ?? 1))
  const total = leadIn + Math.round(options.rate * options.seconds)
  const interval = 1000 / options.rate
  const latencies: number[] = []
  let accepted = 0
  let non2xx = 0
  let errors = 0
  let lastDone = 0

  const send = async (n: number, scheduledAt: number) => {
    const body = `{"id":"${run}-${n}","from":"+4915550${n % customers}","to":"1000","text":"hello from the benchmark"}`
    try {
      const res = await request(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        dispatcher: agent,
        headersTimeout: 30_000,
      })
      await res.body.dump()
      lastDone = performance.now()
      if (n >= leadIn) latencies.push(lastDone - scheduledAt)
      if (res.statusCode >= 200 && res.statusCode < 300) accepted++
      else non2xx++
    } catch {
      errors++
    }
  }

  const inFlight: Promise<void>[] = []
  const start = performance.now()
  let sent = 0
  while (sent < total) {
    const due = Math.min(total, Math.floor((performance.now() - start) / interval) + 1)
    for (; sent < due; sent++) inFlight.push(send(sent, start + sent * interval))
    await sleep(1)
  }
  await Promise.all(inFlight)
  await agent.close()

  latencies.sort((a, b) => a - b)
  const pick = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN
  const seconds = (lastDone - start) / 1000
  return {
    accepted,
    sent,
    // Over the whole run, lead-in included, as the sink's count for this run includes it too.
    acceptedPerSec: accepted / seconds,
    p50: pick(0.5),
    p99: pick(0.99),
    max: latencies.at(-1) ?? Number.NaN,
    non2xx,
    errors,
    timeouts: 0,
    seconds,
  }
}
