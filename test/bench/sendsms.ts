// AMQ SendSms benchmark, against the physical limit on the same machine in the same run:
//  1. SendSms → SMS connector (generic-http) → HTTP provider simulator: the host (its SendSms
//     consumer and pipeline, on the broker with Redis, and embedded with SQLite) against a bare
//     amqplib consume → undici POST → ack loop. An app publishes while the consumer runs.
//  2. The pipeline's broker round trip (submit → confirmed → consumed → delivered → acked), over
//     each driver, against the bare amqplib and rhea loops of broker-baseline.ts (same messages,
//     same window of unconfirmed publishes, same total prefetch).
// `node --import tsx test/bench/sendsms.ts`; settings: BENCH_SENDSMS_MESSAGES, BENCH_ROUNDS,
// AMQP_URL, REDIS_URL. Prints the table and writes its section of test/bench/RESULTS.md.
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { createBroker, createBrokerPipeline, createRedisStateStore } from '@plugboard/broker'
import { createLogger } from '@plugboard/core'
import { inboundMessage, text } from '@plugboard/sdk'
import amqp from 'amqplib'
import { request } from 'undici'
import {
  bareAmqplibRoundTrip,
  bareRheaRoundTrip,
  type LoopResult,
  type LoopSettings,
  result,
} from './broker-baseline.js'
import { type Child, repoRoot, type Sample, spawnChild, stopAll } from './children.js'
import { median } from './report.js'
import { asSection, RESULTS_FILE, writeSection } from './results-file.js'

const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672'
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const messages = Number(process.env.BENCH_SENDSMS_MESSAGES ?? 10_000)
const rounds = Number(process.env.BENCH_ROUNDS ?? 3)
const roundTripMessages = Number(process.env.BENCH_ROUNDTRIP_MESSAGES ?? 10_000)
const concurrency = 64
const prefetch = 100
const run = `bench${randomUUID().slice(0, 8)}`
const log = createLogger({ level: 'warn' })
const tmp = mkdtempSync(join(os.tmpdir(), 'pb-bench-sendsms-'))
const queues = new Set<string>()

type Variant = 'broker' | 'embedded' | 'bare'
interface SmsRound {
  variant: Variant
  perSec: number
  cpuUsPerMsg: number
  duplicates: number
}
interface RoundTrip {
  protocol: 'amqp091' | 'amqp10'
  side: 'ours' | 'bare'
  perSec: number
}

async function getJson<T>(url: string): Promise<T> {
  const res = await request(url)
  return (await res.body.json()) as T
}

type Count = { count: number; unique: number; first: number; last: number }

async function waitForSink(countUrl: string, n: number): Promise<Count> {
  const deadline = Date.now() + 300_000
  for (;;) {
    const c = await getJson<Count>(countUrl)
    if (c.count >= n) return c
    if (Date.now() > deadline) throw new Error(`the provider got ${c.count} of ${n} messages`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** Publishes `n` SendSms with publisher confirms, as an application would. */
async function publishSendSms(queue: string, n: number, round: number): Promise<void> {
  const connection = await amqp.connect(AMQP_URL)
  const channel = await connection.createConfirmChannel()
  await channel.assertQueue(queue, { durable: true })
  for (let i = 0; i < n; i++) {
    const body = {
      number: `+1555${String(i % 1000).padStart(7, '0')}`,
      text: `Your code is ${i}`,
      id: `${run}-${round}-${i}`,
    }
    channel.sendToQueue(queue, Buffer.from(JSON.stringify(body)), {
      persistent: true,
      contentType: 'application/json',
      headers: { type: 'SendSms' },
    })
    if (i % 1000 === 999) await channel.waitForConfirms()
  }
  await channel.waitForConfirms()
  await connection.close()
}

function hostConfig(variant: 'broker' | 'embedded', queue: string, providerUrl: string) {
  const file = join(tmp, `${variant}.json`)
  writeFileSync(
    file,
    JSON.stringify({
      port: 0,
      host: '127.0.0.1',
      // stdout carries the bench protocol; the host's own log lines would get in its way.
      log: { level: 'silent' },
      store: { path: join(tmp, `${variant}-${randomUUID()}.db`) },
      plugins: { dirs: [join(repoRoot, 'plugins')], dependencies: false },
      connectors: [
        { id: 'sms', plugin: 'generic-http', config: { outboundUrl: providerUrl }, concurrency },
      ],
      channels: [{ serviceIdentifier: '1000', connector: 'sms' }],
      broker: { primary: AMQP_URL, prefetch },
      ...(variant === 'broker'
        ? {
            pipeline: { backend: 'broker', shards: 4, queuePrefix: run, concurrency, prefetch },
            state: { backend: 'redis', url: REDIS_URL, keyPrefix: `${run}:` },
          }
        : { pipeline: { concurrency } }),
      sendSms: { enabled: true, queue, connector: 'sms', prefetch },
    }),
  )
  return file
}

async function smsRound(variant: Variant, round: number, sink: { url: string; countUrl: string }) {
  const queue = `${run}-sms-${variant}-${round}`
  queues.add(queue)
  await getJson(`${sink.countUrl}/reset`)
  let child: Child
  if (variant === 'bare') {
    child = spawnChild({
      name: 'bare',
      script: 'sendsms-bare.ts',
      args: [AMQP_URL, queue, sink.url, String(prefetch)],
    })
  } else {
    child = spawnChild({
      name: variant,
      script: 'host-child.ts',
      args: [hostConfig(variant, queue, sink.url)],
    })
  }
  // The queue is filled first, so the consumer, not the publisher, sets the pace.
  await publishSendSms(queue, messages, round)
  await child.next(60_000)
  await child.sample()
  // A host starts consuming before it reports ready; its CPU is counted from here, per message left.
  const atSample = (await getJson<Count>(sink.countUrl)).count
  const count = await waitForSink(sink.countUrl, messages)
  const sample: Sample = await child.sample()
  await child.stop()
  const result: SmsRound = {
    variant,
    perSec: (count.count - 1) / ((count.last - count.first) / 1000),
    cpuUsPerMsg: (sample.cpuMs * 1000) / Math.max(1, count.count - atSample),
    duplicates: count.count - count.unique,
  }
  console.log(
    `${variant} #${round}: ${Math.round(result.perSec)} msg/s, ${Math.round(result.cpuUsPerMsg)} µs CPU/msg, ${result.duplicates} duplicates`,
  )
  return result
}

const loop: LoopSettings = {
  url: AMQP_URL,
  messages: roundTripMessages,
  window: 256,
  prefetch: 256,
  bodyBytes: 600,
}

/**
 * Submit (resolves on the broker's confirm) with `window` submissions outstanding, consumed from
 * four shard queues (prefetch 64 each, the same 256 in total), handed to a no-op delivery, acked;
 * timed from the first submit to the last delivery, as the bare loops are.
 */
async function roundTripOurs(protocol: RoundTrip['protocol'], round: number): Promise<LoopResult> {
  const broker = createBroker({ protocol, primary: { url: AMQP_URL }, log })
  await broker.connect()
  const state = createRedisStateStore({ url: REDIS_URL, prefix: `${run}:` })
  await state.connect()
  const prefix = `${run}rt${protocol}${round}`
  const pipeline = createBrokerPipeline({
    broker,
    state,
    log,
    prefix,
    shards: 4,
    prefetch: loop.prefetch / 4,
    lane: { concurrency: loop.prefetch },
  })
  let delivered = 0
  let allDelivered!: () => void
  const done = new Promise<void>((resolve) => {
    allDelivered = resolve
  })
  await pipeline.start({
    async deliver() {
      if (++delivered === loop.messages) allDelivered()
    },
  })
  const started = performance.now()
  let next = 0
  const lane = async () => {
    while (next < loop.messages) {
      const i = next++
      const message = inboundMessage({
        serviceIdentifier: '1000',
        customerId: `c${i % 1000}`,
        body: text(`m${i}`),
      })
      await pipeline.submit({ direction: 'inbound', connectorId: 'sms', message })
    }
  }
  await Promise.all(Array.from({ length: loop.window }, lane))
  await done
  const elapsed = performance.now() - started
  await pipeline.close()
  await broker.close()
  await state.close()
  for (let s = 0; s < 4; s++) queues.add(`${prefix}.inbound.${s}`)
  queues.add(`${prefix}.dead`)
  queues.add(`${prefix}.unreadable`)
  return result(loop.messages, elapsed)
}

async function cleanup() {
  const connection = await amqp.connect(AMQP_URL)
  const channel = await connection.createChannel()
  const names = [...queues]
  for (let s = 0; s < 4; s++) names.push(`${run}.inbound.${s}`, `${run}.outbound.sms.${s}`)
  names.push(`${run}.dead`, `${run}.unreadable`)
  for (const name of names) for (const q of [name, `${name}.dlq`]) await channel.deleteQueue(q)
  await connection.close()
}

const sinkChild = spawnChild({ name: 'provider', script: 'sms-sink.ts' })
const sink = (await sinkChild.next()) as { url: string; countUrl: string }
const sms: SmsRound[] = []
const trips: RoundTrip[] = []
try {
  for (let round = 1; round <= rounds; round++) {
    // Interleaved, so drift of the shared machine hits every variant alike.
    for (const variant of ['bare', 'broker', 'embedded'] as const)
      sms.push(await smsRound(variant, round, sink))
    for (const protocol of ['amqp091', 'amqp10'] as const) {
      const bare = await (protocol === 'amqp091' ? bareAmqplibRoundTrip : bareRheaRoundTrip)(loop)
      const ours = await roundTripOurs(protocol, round)
      for (const [side, r] of [
        ['bare', bare],
        ['ours', ours],
      ] as const) {
        console.log(`round trip ${protocol} ${side} #${round}: ${Math.round(r.perSec)} msg/s`)
        trips.push({ protocol, side, perSec: r.perSec })
      }
    }
  }
} finally {
  await stopAll()
  await cleanup().catch((error: unknown) => console.error('cleanup failed', error))
  rmSync(tmp, { recursive: true, force: true })
}

const med = (variant: Variant, key: 'perSec' | 'cpuUsPerMsg') =>
  median(sms.filter((r) => r.variant === variant).map((r) => r[key]))
const medTrip = (protocol: RoundTrip['protocol'], side: RoundTrip['side']) =>
  median(trips.filter((r) => r.protocol === protocol && r.side === side).map((r) => r.perSec))
const int = (n: number) => Math.round(n).toLocaleString('en-US')
const ratio = (ours: number, base: number) => (ours / base).toFixed(2)
const rows: [string, string, string, string][] = [
  [
    'SendSms → provider, pipeline on RabbitMQ + Redis (msg/s)',
    int(med('broker', 'perSec')),
    int(med('bare', 'perSec')),
    ratio(med('broker', 'perSec'), med('bare', 'perSec')),
  ],
  [
    'SendSms → provider, embedded pipeline + SQLite (msg/s)',
    int(med('embedded', 'perSec')),
    int(med('bare', 'perSec')),
    ratio(med('embedded', 'perSec'), med('bare', 'perSec')),
  ],
  [
    'CPU per SendSms, broker pipeline (µs, consumer process)',
    int(med('broker', 'cpuUsPerMsg')),
    int(med('bare', 'cpuUsPerMsg')),
    ratio(med('broker', 'cpuUsPerMsg'), med('bare', 'cpuUsPerMsg')),
  ],
  [
    'CPU per SendSms, embedded pipeline (µs, consumer process)',
    int(med('embedded', 'cpuUsPerMsg')),
    int(med('bare', 'cpuUsPerMsg')),
    ratio(med('embedded', 'cpuUsPerMsg'), med('bare', 'cpuUsPerMsg')),
  ],
  [
    'pipeline round trip over 0-9-1 vs bare amqplib (msg/s)',
    int(medTrip('amqp091', 'ours')),
    int(medTrip('amqp091', 'bare')),
    ratio(medTrip('amqp091', 'ours'), medTrip('amqp091', 'bare')),
  ],
  [
    'pipeline round trip over 1.0 vs bare rhea (msg/s)',
    int(medTrip('amqp10', 'ours')),
    int(medTrip('amqp10', 'bare')),
    ratio(medTrip('amqp10', 'ours'), medTrip('amqp10', 'bare')),
  ],
]
const duplicates = sms.reduce((n, r) => n + r.duplicates, 0)
const table = [
  '| case | ours | baseline | ratio |',
  '|---|---:|---:|---:|',
  ...rows.map((r) => `| ${r.join(' | ')} |`),
].join('\n')
console.log(`\n${table}\n\nduplicates at the provider: ${duplicates}`)

const document = `# SendSms benchmark

${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, Node ${process.version}, RabbitMQ at ${AMQP_URL.replace(/\/\/[^@]*@/, '//')}, Redis at ${REDIS_URL}.
Median of ${rounds} interleaved rounds; ${int(messages)} SendSms per round (queued first, then consumed; rate from the first to the last message at the provider; prefetch ${prefetch}, connector concurrency ${concurrency}), and ${int(roundTripMessages)} round trips of ${loop.bodyBytes} B with ${loop.window} publishes awaiting confirm and ${loop.prefetch} unacked in total. Load average at the end: ${os
  .loadavg()
  .map((l) => l.toFixed(1))
  .join(' / ')}.
Baselines run in the same run: for SendSms a bare amqplib consume → \`undici.request\` POST → ack loop (\`sendsms-bare.ts\`), for the round trip the bare amqplib and rhea loops of \`broker-baseline.ts\` (confirm-publish → consume → ack into one queue).

${table}

Duplicates at the provider over all rounds: ${duplicates}.

What ours does per SendSms that the bare loop does not: validates it (zod) and builds the CIM message; publishes it durably into the pipeline and consumes it again from its conversation's shard (the broker variant: a second publish, confirm, delivery and ack per message); checks and writes the sent marker, the provider id map, the monotonic status and the early-receipt slot (six Redis commands in four round trips, or one SQLite group commit embedded); and acks the SendSms only after the pipeline confirmed.
Host CPU in use at those rates: ${((med('broker', 'cpuUsPerMsg') * med('broker', 'perSec')) / 1e6).toFixed(2)} cores (broker variant), ${((med('embedded', 'cpuUsPerMsg') * med('embedded', 'perSec')) / 1e6).toFixed(2)} (embedded), ${((med('bare', 'cpuUsPerMsg') * med('bare', 'perSec')) / 1e6).toFixed(2)} (bare); RabbitMQ, Redis and the provider simulator share the same two cores, so the ratios are bounded by both the host's work per message and the broker's.
Run again with \`node --import tsx test/bench/sendsms.ts\` (\`BENCH_SENDSMS_MESSAGES\`, \`BENCH_ROUNDTRIP_MESSAGES\`, \`BENCH_ROUNDS\`, \`AMQP_URL\`, \`REDIS_URL\`).
`
writeSection('sendsms', asSection(document, 'SendSms → SMS connector'))
console.log(`\nwrote ${RESULTS_FILE}`)
