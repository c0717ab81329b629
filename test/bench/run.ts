// Webhook → CCM relay benchmark: the Plugboard host against a bare hono + undici relay, both
// relaying to the same sink, in the same run, interleaved. See RESULTS.md for the last numbers.
import os from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import { request } from 'undici'
import { type Child, freePort, spawnChild, stopAll } from './children.js'
import { removeTempDirs, writeHostConfig } from './host-config.js'
import { runLoad } from './load.js'
import { runPaced } from './paced.js'
import { type Measurements, median, type Round, renderResults, type Target } from './report.js'
import { asSection, RESULTS_FILE, writeSection } from './results-file.js'

const seconds = Number(process.env.BENCH_SECONDS ?? 10)
const rounds = Number(process.env.BENCH_ROUNDS ?? 3)
const warmupSeconds = Number(process.env.BENCH_WARMUP ?? 3)
const fixedFraction = Number(process.env.BENCH_FIXED_FRACTION ?? 0.5)
const connections = 100
const customers = 1_000

async function start(name: string, script: string, args: string[] = []) {
  const child = spawnChild({ name, script, args })
  return { child, url: (await child.next()).url as string }
}

async function getJson<T>(url: string): Promise<T> {
  const res = await request(url)
  return (await res.body.json()) as T
}

/** Waits until the sink stops counting, i.e. the relay has delivered everything it will. */
async function settle(sinkUrl: string, expected: number) {
  let last = await getJson<{ count: number; unique: number }>(`${sinkUrl}/count`)
  let changedAt = performance.now()
  const deadline = changedAt + 120_000
  for (;;) {
    await sleep(50)
    const now = await getJson<{ count: number; unique: number }>(`${sinkUrl}/count`)
    const t = performance.now()
    if (now.count !== last.count) {
      last = now
      changedAt = t
      continue
    }
    // Short patience once every accepted message arrived; long enough for a retry otherwise.
    if (t - changedAt >= (now.count >= expected ? 300 : 5_000) || t > deadline) {
      return { ...last, changedAt }
    }
  }
}

async function measure(
  target: Target,
  { child, url }: { child: Child; url: string },
  sinkUrl: string,
  round: number,
  rate?: number,
): Promise<Round> {
  const before = await getJson<{ count: number; unique: number }>(`${sinkUrl}/count`)
  await child.sample()
  const t0 = performance.now()
  const load = rate
    ? await runPaced({ url, seconds, connections, customers, rate })
    : await runLoad({ url, seconds, connections, customers })
  const after = await settle(sinkUrl, before.count + load.accepted)
  const delivered = after.count - before.count
  const sample = await child.sample()
  const result: Round = {
    target,
    kind: rate ? 'fixed' : 'saturated',
    round,
    load,
    delivered,
    deliveredPerSec: delivered / ((after.changedAt - t0) / 1000),
    drainMs: Math.max(0, after.changedAt - t0 - load.seconds * 1000),
    duplicates: after.count - after.unique - (before.count - before.unique),
    sample,
  }
  const tag = `${target} ${result.kind} #${round}`
  for (const problem of check(result)) console.error(`!!! ${problem}`)
  const f = (n: number) => n.toFixed(n < 10 ? 1 : 0)
  console.log(
    `${tag}: accepted ${f(load.acceptedPerSec)}/s, delivered ${f(result.deliveredPerSec)}/s, ` +
      `p50 ${f(load.p50)} ms, p99 ${f(load.p99)} ms, max ${f(load.max)} ms, ` +
      `non-2xx ${load.non2xx}, errors ${load.errors}, ` +
      `CPU ${f((sample.cpuMs * 1000) / Math.max(1, delivered))} µs/msg, ` +
      `event-loop delay p99 ${f(sample.p99)} ms / max ${f(sample.max)} ms`,
  )
  return result
}

/** Every accepted message must reach the sink exactly once. */
function check(x: Round): string[] {
  const tag = `${x.target} ${x.kind} round ${x.round}`
  const problems: string[] = []
  if (x.delivered < x.load.accepted) {
    problems.push(
      `${tag}: ${x.load.accepted - x.delivered} accepted messages never reached the sink`,
    )
  }
  // Requests still in flight when a timed run ends reach the sink without being counted as 2xx.
  if (x.delivered > x.load.sent) {
    problems.push(`${tag}: the sink got ${x.delivered - x.load.sent} more messages than were sent`)
  }
  if (x.duplicates > 0) problems.push(`${tag}: ${x.duplicates} messages delivered twice`)
  return problems
}

/** Spawn → first answer of `GET /readyz` (200 for the host; any answer for the bare relay). */
async function timeStart(script: string, args: string[], port: number, needReady: boolean) {
  const t0 = performance.now()
  const child = spawnChild({ name: `start-${script}`, script, args })
  let gone = false
  void child.exited.then(() => {
    gone = true
  })
  try {
    for (;;) {
      if (gone) throw new Error(`${script} exited during start-up`)
      if (performance.now() - t0 > 30_000) throw new Error(`${script} not ready within 30 s`)
      try {
        const res = await request(`http://127.0.0.1:${port}/readyz`)
        await res.body.dump()
        if (!needReady || res.statusCode === 200) break
      } catch {
        // Not listening yet.
      }
      await sleep(5)
    }
    const ms = performance.now() - t0
    await sleep(1_000)
    return { ms, rss: (await child.memory()).rss }
  } finally {
    await child.stop()
  }
}

async function main() {
  console.log(`bench: ${rounds} rounds × ${seconds} s, ${connections} connections`)
  const warnings: string[] = []
  const sink = await start('sink', 'sink.ts')
  const baseline = await start('baseline', 'bare-relay.ts', [sink.url])
  const ours = await start('ours', 'host-child.ts', [writeHostConfig(sink.url, {})])
  const targets: [Target, { child: Child; url: string }][] = [
    ['baseline', baseline],
    ['ours', ours],
  ]

  for (const [, t] of targets) await runLoad({ url: t.url, seconds: warmupSeconds, connections })
  await settle(sink.url, 0)

  const all: Round[] = []
  for (let r = 1; r <= rounds; r++) {
    for (const [name, t] of targets) all.push(await measure(name, t, sink.url, r))
  }
  const baselineRates = all.filter((x) => x.target === 'baseline').map((x) => x.load.acceptedPerSec)
  const fixedRate = Math.round(median(baselineRates) * fixedFraction)
  console.log(`fixed-rate runs at ${fixedRate} req/s (${fixedFraction} × the baseline's median)`)
  for (let r = 1; r <= rounds; r++) {
    for (const [name, t] of targets) all.push(await measure(name, t, sink.url, r, fixedRate))
  }

  for (const x of all) warnings.push(...check(x))
  const memory = { ours: await ours.child.memory(), baseline: await baseline.child.memory() }
  await ours.child.stop()
  await baseline.child.stop()

  const startup: Measurements['startup'] = { ours: [], baseline: [] }
  for (let i = 0; i < 3; i++) {
    const port = await freePort()
    const config = writeHostConfig(sink.url, { port, channels: 1_000 })
    startup.ours.push(await timeStart('host-child.ts', [config], port, true))
    startup.baseline.push(await timeStart('bare-relay.ts', [sink.url, String(port)], port, false))
  }
  await sink.child.stop()

  const measurements: Measurements = {
    date: new Date().toISOString(),
    machine: `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}, ${os.platform()} ${os.release()}`,
    settings: { seconds, rounds, connections, customers, fixedRate, fixedFraction, warmupSeconds },
    rounds: all,
    memory,
    startup,
    warnings,
  }
  const { table, file } = renderResults(measurements)
  console.log(`\n${table}`)
  writeSection('relay', asSection(file, 'Webhook → CCM relay'))
  console.log(`\nwritten to ${RESULTS_FILE}`)
  if (warnings.length) {
    console.error(`\n${'!'.repeat(72)}\nWARNING: delivered ≠ accepted`)
    for (const w of warnings) console.error(`  ${w}`)
    console.error('!'.repeat(72))
    process.exitCode = 1
  }
}

try {
  await main()
} catch (error) {
  console.error(error)
  process.exitCode = 1
} finally {
  await stopAll()
  removeTempDirs()
}
