import type { Memory, Sample } from './children.js'
import type { LoadResult } from './load.js'

export type Target = 'ours' | 'baseline'

export interface Round {
  target: Target
  kind: 'saturated' | 'fixed'
  round: number
  load: LoadResult
  /** Messages that reached the sink because of this run. */
  delivered: number
  /** `delivered` over the time from load start until the sink stopped counting. */
  deliveredPerSec: number
  /** How long after the load ended the sink kept counting. */
  drainMs: number
  duplicates: number
  /** The relay process's event-loop delay and CPU time over the load and its drain. */
  sample: Sample
}

export interface Measurements {
  date: string
  machine: string
  settings: {
    seconds: number
    rounds: number
    connections: number
    customers: number
    fixedRate: number
    fixedFraction: number
    warmupSeconds: number
  }
  rounds: Round[]
  memory: Record<Target, Memory>
  startup: Record<Target, { ms: number; rss: number }[]>
  warnings: string[]
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** CPU time of the relay's process per delivered message: the cost, whatever the noise. */
const cpuPerMessage = (r: Round) => (r.sample.cpuMs * 1000) / Math.max(1, r.delivered)

const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—')
const mb = (bytes: number) => (bytes / 1e6).toFixed(1)
const ms = (n: number) => (n < 10 ? n.toFixed(1) : int(n))

type Row = [
  metric: string,
  ours: string,
  baseline: string,
  ratio: string,
  target: string,
  ok: string,
]

interface Spec {
  metric: string
  /** The value for one side; `of` gives that side's rounds of one kind. */
  value: (side: { t: Target; of: (kind: Round['kind']) => Round[] }) => number
  fmt: (n: number) => string
  target?: string
  ok?: (ours: number, ratio: number) => boolean
  /** Ratio as the median of per-round ratios rather than a ratio of medians. */
  paired?: (r: Round) => number
}

const at =
  (kind: Round['kind'], f: (r: Round) => number) =>
  ({ of }: { of: (k: Round['kind']) => Round[] }) =>
    median(of(kind).map(f))

function specs(m: Measurements): Spec[] {
  const rate = int(m.settings.fixedRate)
  const within = (limit: number) => (ours: number) => ours < limit
  return [
    {
      metric: 'Accepted req/s, saturated',
      value: at('saturated', (r) => r.load.acceptedPerSec),
      fmt: int,
      target: '≥ 0.80× baseline',
      ok: (_, q) => q >= 0.8,
      paired: (r) => r.load.acceptedPerSec,
    },
    {
      metric: 'Delivered to CCM msg/s, saturated',
      value: at('saturated', (r) => r.deliveredPerSec),
      fmt: int,
      target: '≥ 0.80× baseline',
      ok: (_, q) => q >= 0.8,
      paired: (r) => r.deliveredPerSec,
    },
    {
      metric: 'CPU µs per delivered message, saturated',
      value: at('saturated', cpuPerMessage),
      fmt: int,
      paired: cpuPerMessage,
    },
    { metric: 'p50 ms, saturated', value: at('saturated', (r) => r.load.p50), fmt: ms },
    {
      metric: 'p99 ms, saturated',
      value: at('saturated', (r) => r.load.p99),
      fmt: ms,
      target: '< 50 ms',
      ok: within(50),
    },
    {
      metric: `Accepted req/s at fixed ${rate} req/s`,
      value: at('fixed', (r) => r.load.acceptedPerSec),
      fmt: int,
    },
    { metric: `p50 ms at ${rate} req/s`, value: at('fixed', (r) => r.load.p50), fmt: ms },
    {
      metric: `p99 ms at ${rate} req/s`,
      value: at('fixed', (r) => r.load.p99),
      fmt: ms,
      target: '< 50 ms',
      ok: within(50),
    },
    { metric: `max ms at ${rate} req/s`, value: at('fixed', (r) => r.load.max), fmt: ms },
    {
      metric: `Event-loop delay p99 ms at ${rate} req/s`,
      value: at('fixed', (r) => r.sample.p99),
      fmt: ms,
    },
    {
      metric: `Event-loop delay max ms at ${rate} req/s`,
      value: at('fixed', (r) => r.sample.max),
      fmt: ms,
    },
    { metric: 'RSS after all runs, MB', value: ({ t }) => m.memory[t].rss, fmt: mb },
    { metric: 'Peak RSS under load, MB', value: ({ t }) => m.memory[t].maxRss, fmt: mb },
    {
      metric: 'Start → ready ms, 1,000 channels (median of 3)',
      value: ({ t }) => median(m.startup[t].map((s) => s.ms)),
      fmt: int,
      target: '< 1,500 ms',
      ok: within(1500),
    },
    {
      metric: 'RSS at idle after start, MB',
      value: ({ t }) => median(m.startup[t].map((s) => s.rss)),
      fmt: mb,
      target: '< 200 MB',
      ok: within(200e6),
    },
  ]
}

function rows(m: Measurements): Row[] {
  const of = (t: Target) => (kind: Round['kind']) =>
    m.rounds.filter((r) => r.target === t && r.kind === kind)
  const sum = (t: Target, f: (r: Round) => number) =>
    m.rounds.filter((r) => r.target === t).reduce((a, r) => a + f(r), 0)
  const pass = (ok: boolean) => (ok ? 'pass' : '**FAIL**')
  // Each ours round against the baseline round run just before it, so a noisy minute on the
  // shared machine lands on both sides of a ratio instead of on one side of a median.
  const paired = (f: (r: Round) => number) =>
    median(
      of('ours')('saturated').map((o) => {
        const b = of('baseline')('saturated').find((x) => x.round === o.round)
        return b ? f(o) / f(b) : Number.NaN
      }),
    )
  const compared = specs(m).map((spec): Row => {
    const ours = spec.value({ t: 'ours', of: of('ours') })
    const base = spec.value({ t: 'baseline', of: of('baseline') })
    const ratio = spec.paired ? paired(spec.paired) : ours / base
    const ok = spec.ok ? pass(spec.ok(ours, ratio)) : ''
    const shown = Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '—'
    return [spec.metric, spec.fmt(ours), spec.fmt(base), shown, spec.target ?? '—', ok]
  })
  const failures = (t: Target) => sum(t, (r) => r.load.non2xx + r.load.errors + r.load.timeouts)
  const lost = (t: Target) => sum(t, (r) => Math.max(0, r.load.accepted - r.delivered))
  const dupes = (t: Target) => sum(t, (r) => r.duplicates)
  const checks: Row[] = [
    [
      'Non-2xx + errors + timeouts, all runs',
      int(failures('ours')),
      int(failures('baseline')),
      '',
      '0',
      pass(failures('ours') === 0),
    ],
    [
      'Accepted but not delivered / duplicates',
      `${int(lost('ours'))} / ${int(dupes('ours'))}`,
      `${int(lost('baseline'))} / ${int(dupes('baseline'))}`,
      '',
      '0 / 0',
      pass(lost('ours') + dupes('ours') === 0),
    ],
  ]
  return [...compared.slice(0, 11), ...checks, ...compared.slice(11)]
}

function markdown(header: string[], body: string[][]): string {
  const align = header.map((_, i) => (i === 0 ? '---' : '---:'))
  return [header, align, ...body].map((r) => `| ${r.join(' | ')} |`).join('\n')
}

export function renderResults(m: Measurements): { table: string; file: string } {
  const table = markdown(
    ['metric', 'ours', 'baseline', 'ratio', 'target (DESIGN §9)', 'result'],
    rows(m),
  )
  const raw = markdown(
    [
      'relay',
      'load',
      'round',
      'accepted',
      'accepted/s',
      'delivered',
      'delivered/s',
      'drain ms',
      'p50',
      'p99',
      'max',
      'non-2xx',
      'errors',
      'timeouts',
      'CPU µs/msg',
      'loop p99 ms',
      'loop max ms',
    ],
    m.rounds.map((r) => [
      r.target,
      r.kind,
      String(r.round),
      int(r.load.accepted),
      int(r.load.acceptedPerSec),
      int(r.delivered),
      int(r.deliveredPerSec),
      int(r.drainMs),
      ms(r.load.p50),
      ms(r.load.p99),
      ms(r.load.max),
      int(r.load.non2xx),
      int(r.load.errors),
      int(r.load.timeouts),
      int(cpuPerMessage(r)),
      ms(r.sample.p99),
      ms(r.sample.max),
    ]),
  )
  const starts = markdown(
    ['relay', 'start → ready ms', 'RSS at idle MB'],
    (['ours', 'baseline'] as const).flatMap((t) =>
      m.startup[t].map((s) => [t, int(s.ms), mb(s.rss)]),
    ),
  )
  const s = m.settings
  const file = `# Benchmark results

${m.date} · ${m.machine}

Settings: ${s.rounds} rounds of ${s.seconds} s per relay and load, interleaved (baseline, ours, …) after a
${s.warmupSeconds} s warm-up each; ${s.connections} connections; ${s.customers.toLocaleString('en-US')} distinct senders;
fixed-rate runs at ${s.fixedRate.toLocaleString('en-US')} req/s (${s.fixedFraction} × the baseline's saturated median), after a 1 s
lead-in left out of the latencies. Run with \`npm run bench\` (\`BENCH_SECONDS\`, \`BENCH_ROUNDS\`,
\`BENCH_WARMUP\`, \`BENCH_FIXED_FRACTION\`); \`bench/profile.ts\` samples where the CPU goes.

${table}

How to read it: "baseline" is a bare hono + \`undici.request\` relay that forwards the same webhook to
the same CCM sink in the same run; it is the physical limit of this machine, and because the machine
is shared and noisy the ratio column, not the absolute numbers, is what to compare between runs.
"Accepted" counts 2xx answers to the webhook and "delivered" counts messages that reached the sink,
timed until the sink stopped counting; the baseline answers only after the sink did, while the host
answers once the message is committed to its SQLite store and delivers it from a worker afterwards.
For every message the host also validates the payload against the plugin's schema, claims a
de-duplication key by provider message id, and then delivers, deletes the job and retries failures
while keeping messages of one conversation in order; none of that exists in the baseline.
Saturated rows (autocannon, closed loop) show throughput; latency is meaningful in the fixed-rate
rows, an open-loop load measured from each request's scheduled send time so stalls are not hidden.
CPU µs per message (the relay process's CPU time over a run and its drain, per delivered message)
is the figure least disturbed by other work on the machine. Figures are medians of the raw rounds
below; a throughput ratio is the median of per-round ratios (each ours round against the baseline
round run just before it).
${m.warnings.length ? `\n**Warnings:**\n\n${m.warnings.map((w) => `- ${w}`).join('\n')}\n` : ''}
## Raw rounds

${raw}

## Start-up

Spawn → first \`GET /readyz\` 200 for the host (every plugin under plugins/, 11 connectors,
1,000 channels, a fresh store); spawn → first HTTP answer for the bare relay.

${starts}
`
  return { table, file }
}
