import type { Memory } from './children.js'
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

function rows(m: Measurements): Row[] {
  const of = (t: Target, kind: Round['kind']) =>
    m.rounds.filter((r) => r.target === t && r.kind === kind)
  const med = (t: Target, kind: Round['kind'], f: (r: Round) => number) =>
    median(of(t, kind).map(f))
  const sum = (t: Target, f: (r: Round) => number) =>
    m.rounds.filter((r) => r.target === t).reduce((a, r) => a + f(r), 0)
  const pass = (ok: boolean) => (ok ? 'pass' : '**FAIL**')
  const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : '—')

  const compare = (
    metric: string,
    ours: number,
    base: number,
    fmt: (n: number) => string,
    target = '—',
    ok?: boolean,
  ): Row => [
    metric,
    fmt(ours),
    fmt(base),
    ratio(ours, base),
    target,
    ok === undefined ? '' : pass(ok),
  ]

  const acc = (t: Target) => med(t, 'saturated', (r) => r.load.acceptedPerSec)
  const del = (t: Target) => med(t, 'saturated', (r) => r.deliveredPerSec)
  const p = (t: Target, kind: Round['kind'], f: (l: LoadResult) => number) =>
    med(t, kind, (r) => f(r.load))
  const failures = (t: Target) => sum(t, (r) => r.load.non2xx + r.load.errors + r.load.timeouts)
  const lost = (t: Target) => sum(t, (r) => Math.max(0, r.load.accepted - r.delivered))
  const dupes = (t: Target) => sum(t, (r) => r.duplicates)
  const start = (t: Target) => median(m.startup[t].map((s) => s.ms))
  const idle = (t: Target) => median(m.startup[t].map((s) => s.rss))
  const rate = int(m.settings.fixedRate)

  return [
    compare(
      'Accepted req/s, saturated',
      acc('ours'),
      acc('baseline'),
      int,
      '≥ 0.80× baseline',
      acc('ours') >= 0.8 * acc('baseline'),
    ),
    compare(
      'Delivered to CCM msg/s, saturated',
      del('ours'),
      del('baseline'),
      int,
      '≥ 0.80× baseline',
      del('ours') >= 0.8 * del('baseline'),
    ),
    compare(
      'p50 ms, saturated',
      p('ours', 'saturated', (l) => l.p50),
      p('baseline', 'saturated', (l) => l.p50),
      ms,
    ),
    compare(
      'p99 ms, saturated',
      p('ours', 'saturated', (l) => l.p99),
      p('baseline', 'saturated', (l) => l.p99),
      ms,
      '< 50 ms',
      p('ours', 'saturated', (l) => l.p99) < 50,
    ),
    compare(
      `Accepted req/s at fixed ${rate} req/s`,
      p('ours', 'fixed', (l) => l.acceptedPerSec),
      p('baseline', 'fixed', (l) => l.acceptedPerSec),
      int,
    ),
    compare(
      `p50 ms at ${rate} req/s`,
      p('ours', 'fixed', (l) => l.p50),
      p('baseline', 'fixed', (l) => l.p50),
      ms,
    ),
    compare(
      `p99 ms at ${rate} req/s`,
      p('ours', 'fixed', (l) => l.p99),
      p('baseline', 'fixed', (l) => l.p99),
      ms,
      '< 50 ms',
      p('ours', 'fixed', (l) => l.p99) < 50,
    ),
    compare(
      `max ms at ${rate} req/s`,
      p('ours', 'fixed', (l) => l.max),
      p('baseline', 'fixed', (l) => l.max),
      ms,
    ),
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
      pass(lost('ours') === 0 && dupes('ours') === 0),
    ],
    compare('RSS after all runs, MB', m.memory.ours.rss, m.memory.baseline.rss, mb),
    compare('Peak RSS under load, MB', m.memory.ours.maxRss, m.memory.baseline.maxRss, mb),
    compare(
      'Start → ready ms, 1,000 channels (median of 3)',
      start('ours'),
      start('baseline'),
      int,
      '< 1,500 ms',
      start('ours') < 1500,
    ),
    compare(
      'RSS at idle after start, MB',
      idle('ours'),
      idle('baseline'),
      mb,
      '< 200 MB',
      idle('ours') < 200e6,
    ),
  ]
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
fixed-rate runs at ${s.fixedRate.toLocaleString('en-US')} req/s (half the baseline's saturated median). Run with
\`npm run bench\` (\`BENCH_SECONDS\`, \`BENCH_ROUNDS\`, \`BENCH_WARMUP\`).

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
Saturated rows show throughput; latency is meaningful in the fixed-rate rows, where autocannon
corrects for coordinated omission. Figures in the table are medians of the raw rounds below.
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
