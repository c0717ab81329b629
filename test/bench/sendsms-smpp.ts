// AMQ SendSms → SMPP submit, against the physical limit on the same machine in the same run
// (DESIGN §9: at least 0.70× a bare amqplib-consume → smpp-submit loop). The SendSms are queued
// first, then one consumer process drains the queue into the SMSC simulator (its own process):
//  - ours: a host process (createHost) with the SendSms consumer and an `smpp` connector, with the
//    pipeline on RabbitMQ + Redis state ("broker") and embedded with SQLite ("embedded");
//  - baseline: sendsms-smpp-bare.ts, amqplib consume → JSON.parse → `smpp` package submit_sm → ack.
// Rounds are interleaved. Receipts are off on both sides (registered_delivery 0, the simulator
// sends none). `node --import tsx test/bench/sendsms-smpp.ts`; settings: BENCH_SENDSMS_MESSAGES,
// BENCH_ROUNDS, BENCH_SENDSMS_VARIANTS (e.g. "bare,embedded"), BENCH_PROFILE=1 (CPU profile of the
// host in an extra round), AMQP_URL, REDIS_URL. Writes its section of test/bench/RESULTS.md.
import { execFileSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import amqp from 'amqplib'
import { request } from 'undici'
import { type Child, type Memory, repoRoot, spawnChild, stopAll } from './children.js'
import { median } from './report.js'
import { asSection, RESULTS_FILE, writeSection } from './results-file.js'

const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672'
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const messages = Number(process.env.BENCH_SENDSMS_MESSAGES ?? 10_000)
const rounds = Number(process.env.BENCH_ROUNDS ?? 3)
const profiling = process.env.BENCH_PROFILE === '1'
type Variant = 'bare' | 'broker' | 'embedded'
const variants = (process.env.BENCH_SENDSMS_VARIANTS ?? 'bare,broker,embedded')
  .split(',')
  .map((v) => v.trim()) as Variant[]
/** Unacked SendSms per consumer, on both sides; also the SMPP window and the host's concurrency. */
const prefetch = 100
const run = `bench${randomUUID().slice(0, 8)}`
const tmp = mkdtempSync(join(os.tmpdir(), 'pb-bench-sendsms-smpp-'))
const queues = new Set<string>()

interface Round {
  variant: Variant
  round: number
  perSec: number
  /** SMSC submits seen before the consumer reported ready (left out of rate and CPU). */
  beforeReady: number
  cpuUsPerMsg: number
  smscCpuUsPerMsg: number
  received: number
  duplicates: number
  lost: number
  rssMb: number
  maxRssMb: number
  loopP99: number
}

interface Summary {
  count: number
  unique: number
  first: number
  from: number
  last: number
  dataCodings: number[]
  rejected: number
}

async function getJson<T>(url: string): Promise<T> {
  const res = await request(url)
  return (await res.body.json()) as T
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

function hostConfig(variant: 'broker' | 'embedded', queue: string, smscPort: number) {
  const file = join(tmp, `${variant}-${randomUUID()}.json`)
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
        {
          id: 'sms',
          plugin: 'smpp',
          config: {
            host: '127.0.0.1',
            port: smscPort,
            systemId: 'bench',
            password: 'bench',
            bindType: 2,
            window: prefetch,
            registeredDelivery: false,
          },
          concurrency: prefetch,
        },
      ],
      channels: [{ serviceIdentifier: '1000', connector: 'sms', channelType: 'SMS' }],
      broker: { primary: AMQP_URL, prefetch },
      ...(variant === 'broker'
        ? {
            pipeline: {
              backend: 'broker',
              shards: 4,
              queuePrefix: run,
              concurrency: prefetch,
              prefetch,
            },
            state: { backend: 'redis', url: REDIS_URL, keyPrefix: `${run}:` },
          }
        : { pipeline: { concurrency: prefetch } }),
      sendSms: { enabled: true, queue, connector: 'sms', prefetch },
    }),
  )
  return file
}

async function waitForSmsc(countUrl: string, n: number, child: Child): Promise<void> {
  const deadline = Date.now() + 300_000
  let exited = false
  void child.exited.then(() => {
    exited = true
  })
  for (;;) {
    const { count } = await getJson<{ count: number }>(`${countUrl}/count`)
    if (count >= n) return
    if (exited) throw new Error(`${child.name} exited after ${count} of ${n} submits`)
    if (Date.now() > deadline) throw new Error(`the SMSC got ${count} of ${n} submits`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

async function smsRound(
  variant: Variant,
  round: number,
  smsc: { child: Child; port: number; countUrl: string },
  profileFile?: string,
): Promise<Round> {
  const queue = `${run}-smpp-${variant}-${round}`
  queues.add(queue)
  await getJson(`${smsc.countUrl}/reset`)
  // The queue is filled first, so the consumer, not the publisher, sets the pace.
  await publishSendSms(queue, messages, round)
  const child =
    variant === 'bare'
      ? spawnChild({
          name: 'bare',
          script: 'sendsms-smpp-bare.ts',
          args: [AMQP_URL, queue, String(smsc.port), String(prefetch)],
        })
      : spawnChild({
          name: variant,
          script: 'host-child.ts',
          args: [hostConfig(variant, queue, smsc.port)],
        })
  await child.next(60_000)
  await child.sample()
  await smsc.child.sample()
  if (profileFile) await child.command('profile-start')
  // A host starts consuming before it reports ready; rate and CPU count from here on.
  const { count: beforeReady } = await getJson<{ count: number }>(`${smsc.countUrl}/count`)
  await waitForSmsc(smsc.countUrl, messages, child)
  const sample = await child.sample()
  const smscSample = await smsc.child.sample()
  if (profileFile) await child.command(`profile-stop ${profileFile}`)
  const memory: Memory = await child.memory()
  // Anything sent twice would show up now.
  await new Promise((r) => setTimeout(r, 500))
  const summary = await getJson<Summary>(`${smsc.countUrl}/summary?from=${beforeReady}`)
  await child.stop()
  const measured = summary.count - beforeReady
  const result: Round = {
    variant,
    round,
    perSec: (measured - 1) / ((summary.last - summary.from) / 1000),
    beforeReady,
    cpuUsPerMsg: (sample.cpuMs * 1000) / Math.max(1, measured),
    smscCpuUsPerMsg: (smscSample.cpuMs * 1000) / Math.max(1, measured),
    received: summary.count,
    duplicates: summary.count - summary.unique,
    lost: messages - summary.unique,
    rssMb: memory.rss / 2 ** 20,
    maxRssMb: memory.maxRss / 2 ** 20,
    loopP99: sample.p99,
  }
  if (summary.dataCodings.some((dc) => dc !== 0))
    throw new Error(`unexpected data_coding ${summary.dataCodings.join(',')} at the SMSC`)
  console.log(
    `${variant} #${round}: ${Math.round(result.perSec)} submit/s, ${Math.round(result.cpuUsPerMsg)} µs CPU/msg, SMSC ${Math.round(result.smscCpuUsPerMsg)} µs/msg, ${result.beforeReady} before ready, ${result.duplicates} duplicates, ${result.lost} lost, RSS ${result.rssMb.toFixed(0)} MB (max ${result.maxRssMb.toFixed(0)})`,
  )
  return result
}

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

/** Where a script lives: a package under node_modules, a workspace package, or node itself. */
function area(url: string): string {
  if (!url) return '(native)'
  if (url.startsWith('node:')) return 'node'
  const modules = url.lastIndexOf('node_modules/')
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/')
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url)
  }
  const m = url.match(/\/(packages|plugins|host)\/([^/]+)?/)
  if (m) return m[1] === 'host' ? 'host' : `${m[1]}/${m[2]}`
  return url.replace(/^file:\/\//, '')
}

/** Self time per package and per function, as shares of the sampled non-idle time. */
function summariseProfile(file: string, top = 15) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, ProfileNode>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n)
  // A native frame (a socket write, a SQLite statement) is named after the script that called it.
  const caller = (id: number): string => {
    let p = parent.get(id)
    while (p && !p.callFrame.url) p = parent.get(p.id)
    return p ? `${p.callFrame.functionName || '(anonymous)'} in ${area(p.callFrame.url)}` : '?'
  }
  const self = new Map<number, number>()
  profile.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0))
  })
  const byArea = new Map<string, number>()
  const byFunction = new Map<string, number>()
  let total = 0
  for (const [id, us] of self) {
    const node = byId.get(id)
    if (!node || node.callFrame.functionName === '(idle)') continue
    total += us
    const { functionName, url, lineNumber } = node.callFrame
    const a = functionName.startsWith('(') ? functionName : area(url)
    byArea.set(a, (byArea.get(a) ?? 0) + us)
    const file = url.split('/').slice(-2).join('/')
    const key =
      !url && !functionName.startsWith('(')
        ? `${functionName} (native) ← ${caller(id)}`
        : `${functionName || '(anonymous)'} (${file ? `${file}:${lineNumber + 1}` : a})`
    byFunction.set(key, (byFunction.get(key) ?? 0) + us)
  }
  const rank = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => ({ name: k, share: us / total }))
  return { totalMs: total / 1000, areas: rank(byArea), functions: rank(byFunction) }
}

async function cleanup() {
  const connection = await amqp.connect(AMQP_URL)
  const channel = await connection.createChannel()
  const names = [...queues]
  for (let s = 0; s < 4; s++) names.push(`${run}.inbound.${s}`, `${run}.outbound.sms.${s}`)
  names.push(`${run}.dead`, `${run}.unreadable`)
  for (const name of names) for (const q of [name, `${name}.dlq`]) await channel.deleteQueue(q)
  await connection.close()
  // The broker variant's state (sent markers, SMPP part progress with a 48 h TTL) under this run's
  // prefix. Some keys hold NUL bytes (the provider id map), so they are removed server-side, one
  // SCAN page per call.
  const script =
    "local r = redis.call('SCAN', ARGV[1], 'MATCH', ARGV[2], 'COUNT', 2000) for _, k in ipairs(r[2]) do redis.call('UNLINK', k) end return r[1]"
  try {
    let cursor = '0'
    do {
      cursor = execFileSync(
        'redis-cli',
        ['-u', REDIS_URL, 'eval', script, '0', cursor, `${run}:*`],
        { encoding: 'utf8' },
      ).trim()
    } while (cursor !== '0')
  } catch (error) {
    console.error(`could not remove the Redis keys ${run}:* (${String(error)})`)
  }
}

const smscChild = spawnChild({ name: 'smsc', script: 'sendsms-smpp-smsc.ts' })
const smscInfo = (await smscChild.next()) as { port: number; countUrl: string }
const smsc = { child: smscChild, ...smscInfo }
const results: Round[] = []
const profiles: { variant: Variant; summary: ReturnType<typeof summariseProfile> }[] = []
try {
  for (let round = 1; round <= rounds; round++) {
    // Interleaved, so drift of the shared machine hits every variant alike.
    for (const variant of variants) results.push(await smsRound(variant, round, smsc))
  }
  // Profiled in an extra round of its own, left out of the figures above: the sampler costs CPU.
  if (profiling) {
    for (const variant of variants) {
      if (variant === 'bare') continue
      const file = join(tmp, `${variant}.cpuprofile`)
      await smsRound(variant, rounds + 1, smsc, file)
      profiles.push({ variant, summary: summariseProfile(file) })
    }
  }
} finally {
  await stopAll()
  await cleanup().catch((error: unknown) => console.error('cleanup failed', error))
  rmSync(tmp, { recursive: true, force: true })
}

const pick = (variant: Variant) => results.filter((r) => r.variant === variant)
const med = (variant: Variant, f: (r: Round) => number) => median(pick(variant).map(f))
/** Throughput ratio: median of per-round ratios, each ours round against that round's baseline. */
const roundRatio = (variant: Variant) =>
  median(
    pick(variant).map(
      (o) =>
        o.perSec /
        (results.find((b) => b.variant === 'bare' && b.round === o.round)?.perSec ?? Number.NaN),
    ),
  )
const int = (n: number) => Math.round(n).toLocaleString('en-US')
const ours = variants.filter((v): v is Exclude<Variant, 'bare'> => v !== 'bare')
const label: Record<Exclude<Variant, 'bare'>, string> = {
  broker: 'pipeline on RabbitMQ + Redis',
  embedded: 'embedded pipeline + SQLite',
}
const lines: string[] = [
  '| case | ours | baseline | ratio | target (DESIGN §9) | result |',
  '| --- | ---: | ---: | ---: | ---: | ---: |',
]
for (const v of ours) {
  const ratio = roundRatio(v)
  lines.push(
    `| SendSms → submit_sm/s, ${label[v]} | ${int(med(v, (r) => r.perSec))} | ${int(med('bare', (r) => r.perSec))} | ${ratio.toFixed(2)}× | ≥ 0.70× | ${ratio >= 0.7 ? 'pass' : '**FAIL**'} |`,
  )
}
const row = (name: string, f: (r: Round) => number, fmt: (n: number) => string) => {
  for (const v of ours) {
    const o = med(v, f)
    const b = med('bare', f)
    lines.push(
      `| ${name}, ${label[v]} | ${fmt(o)} | ${fmt(b)} | ${b === 0 ? '—' : `${(o / b).toFixed(2)}×`} | — |  |`,
    )
  }
}
row('consumer CPU µs per SendSms', (r) => r.cpuUsPerMsg, int)
row('SMSC CPU µs per submit', (r) => r.smscCpuUsPerMsg, int)
row(
  'consumer RSS at the end, MB',
  (r) => r.rssMb,
  (n) => n.toFixed(0),
)
row(
  'consumer peak RSS, MB',
  (r) => r.maxRssMb,
  (n) => n.toFixed(0),
)
row(
  'consumer event-loop delay p99, ms',
  (r) => r.loopP99,
  (n) => n.toFixed(1),
)
const lostOrDoubled = (v: Variant) => {
  const rs = pick(v)
  return `${rs.reduce((n, r) => n + r.lost, 0)} / ${rs.reduce((n, r) => n + r.duplicates, 0)}`
}
const clean = results.every((r) => r.lost === 0 && r.duplicates === 0)
lines.push(
  `| lost / duplicated at the SMSC, all rounds | ${ours.map((v) => `${v}: ${lostOrDoubled(v)}`).join('; ')} | ${lostOrDoubled('bare')} |  | 0 / 0 | ${clean ? 'pass' : '**FAIL**'} |`,
)
const table = lines.join('\n')
console.log(`\n${table}`)

const raw = [
  '| consumer | round | submit/s | before ready | CPU µs/msg | SMSC CPU µs/msg | received | lost | duplicated | RSS MB | peak RSS MB | loop p99 ms |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...results.map(
    (r) =>
      `| ${r.variant} | ${r.round} | ${int(r.perSec)} | ${r.beforeReady} | ${int(r.cpuUsPerMsg)} | ${int(r.smscCpuUsPerMsg)} | ${r.received} | ${r.lost} | ${r.duplicates} | ${r.rssMb.toFixed(0)} | ${r.maxRssMb.toFixed(0)} | ${r.loopP99.toFixed(1)} |`,
  ),
].join('\n')

const profileText = profiles
  .map(({ variant, summary }) =>
    [
      `### Where the host's CPU goes (${label[variant as Exclude<Variant, 'bare'>]})`,
      '',
      `An extra round, not in the figures above, sampled in-process (inspector, 200 µs interval) from ready to the last submit; ${int(summary.totalMs)} ms of non-idle samples. Self time by package:`,
      '',
      '| package / area | share |',
      '| --- | ---: |',
      ...summary.areas.map((a) => `| ${a.name} | ${(a.share * 100).toFixed(1)}% |`),
      '',
      'Top functions by self time (native frames named after their nearest script caller; line numbers as the tsx-transpiled code reports them):',
      '',
      '| function | share |',
      '| --- | ---: |',
      ...summary.functions.map(
        (f) => `| \`${f.name.replace(/\|/g, '\\|')}\` | ${(f.share * 100).toFixed(1)}% |`,
      ),
    ].join('\n'),
  )
  .join('\n\n')

const document = `# AMQ SendSms → SMPP submit

${new Date().toISOString()} · ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, Node ${process.version}, RabbitMQ at ${AMQP_URL.replace(/\/\/[^@]*@/, '//')}, Redis at ${REDIS_URL}.
Median of ${rounds} interleaved rounds (baseline, then ours) of ${int(messages)} SendSms each (~90 B JSON, GSM text of 15–18 characters, 1,000 distinct numbers), queued durably first and then drained by one consumer process into the SMSC simulator (\`startSmscSimulator\`, in its own process, one transceiver bind per consumer). Prefetch ${prefetch} on both sides; ours also has SMPP window ${prefetch} and connector and pipeline concurrency ${prefetch}. **Receipts off** on both sides: \`registered_delivery\` 0, and the simulator sends none. Load average at the end: ${os
  .loadavg()
  .map((l) => l.toFixed(1))
  .join(' / ')}.
Run again with \`node --import tsx test/bench/sendsms-smpp.ts\` (\`BENCH_SENDSMS_MESSAGES\`, \`BENCH_ROUNDS\`, \`BENCH_SENDSMS_VARIANTS\`, \`BENCH_PROFILE=1\`, \`AMQP_URL\`, \`REDIS_URL\`).

${table}

How to read it: "baseline" is \`sendsms-smpp-bare.ts\`, an amqplib consumer that parses each SendSms, sends it as one \`submit_sm\` (data_coding 0) with the \`smpp\` package, and acks it when the \`submit_sm_resp\` is ESME_ROK: the physical limit of this path on this machine, measured in the same run. "Ours" is a host process (\`host-child.ts\`, \`createHost\`) with the SendSms consumer and an \`smpp\` connector. The rate is counted at the SMSC, from the first submit after the consumer reported ready to the last of the round (a host starts consuming a moment before it reports ready; those submits, the "before ready" column, are left out of the rate and of the CPU figure). Consumer CPU is the consumer process's user + system time over the same span, per message; it is the figure least disturbed by the shared two-core machine, on which RabbitMQ, Redis, the SMSC simulator and the consumer all run. Lost and duplicated are counted at the SMSC by destination and text (every text carries its sequence number). The throughput ratio is the median of per-round ratios.

What ours does per SendSms that the baseline does not: validates it (zod) and derives its CIM id from the app id; builds an outbound CIM message and submits it to the pipeline, which commits it durably (one SQLite group commit embedded; on the broker variant a confirmed publish to a shard queue, a second delivery and ack, and Redis state) before the SendSms is acked; keeps messages of one number in order; checks and writes the sent marker and status; in the connector, plans and GSM-encodes the text, reads and writes the per-part progress key in the state store (so a retry never submits a part twice), records the SMSC id for receipts, and runs its own SMPP session (window, response timers, throttling and re-bind handling) instead of the \`smpp\` package.

## Raw rounds

${raw}
${profileText ? `\n${profileText}\n` : ''}`
writeSection('sendsms-smpp', asSection(document, 'AMQ SendSms → SMPP submit'))
console.log(`\nwrote ${RESULTS_FILE}`)
