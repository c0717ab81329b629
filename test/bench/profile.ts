// Where a relay's CPU goes under saturated load: samples the host (and the bare relay, for
// comparison) during one load run and prints the top self-time functions and packages.
// Run: node --import tsx bench/profile.ts   (BENCH_SECONDS, BENCH_PROFILE_TARGETS=ours,baseline)
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { request } from 'undici'
import { repoRoot, spawnChild, stopAll } from './children.js'
import { removeTempDirs, tempDir, writeHostConfig } from './host-config.js'
import { runLoad } from './load.js'

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

const seconds = Number(process.env.BENCH_SECONDS ?? 10)
const targets = (process.env.BENCH_PROFILE_TARGETS ?? 'ours,baseline').split(',')

/** Groups a script URL by what a fix would touch: a workspace package or an npm package. */
function area(url: string): string {
  if (!url) return '(native / VM)'
  if (url.startsWith('node:')) return 'node core'
  const pnpm = /node_modules\/\.pnpm\/([^/]+)\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (pnpm) return pnpm[2]!
  const path = url.replace(/^file:\/\//, '')
  if (path.startsWith(repoRoot)) {
    const ours = /^(packages\/[^/]+|plugins\/[^/]+|host|test)\//.exec(path.slice(repoRoot.length))
    if (ours) return ours[1]!
  }
  return url.replace(/^file:\/\//, '')
}

function summarise(name: string, profile: Profile, top = 30): void {
  const selfUs = new Map<number, number>()
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0))
  })
  const parent = new Map<number, ProfileNode>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n)
  // Native bindings (better-sqlite3's run/get, writev) have no script URL; their JS caller does.
  const caller = (node: ProfileNode) => {
    let p = parent.get(node.id)
    while (p && !p.callFrame.url) p = parent.get(p.id)
    return p ? `${p.callFrame.functionName || '(anonymous)'} (${area(p.callFrame.url)})` : '?'
  }
  const byNative = new Map<string, number>()
  const byFn = new Map<string, number>()
  const byArea = new Map<string, number>()
  let busy = 0
  let total = 0
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0
    total += us
    const { functionName, url, lineNumber } = node.callFrame
    if (functionName === '(idle)') continue
    busy += us
    const file = url.replace(/^file:\/\//, '').replace(/^.*node_modules\/\.pnpm\//, '')
    const key = `${functionName || '(anonymous)'}  ${file ? `${file}:${lineNumber + 1}` : ''}`
    byFn.set(key, (byFn.get(key) ?? 0) + us)
    const a = functionName.startsWith('(') ? functionName : area(url)
    byArea.set(a, (byArea.get(a) ?? 0) + us)
    if (!url && !functionName.startsWith('(')) {
      const k = `${functionName} ← ${caller(node)}`
      byNative.set(k, (byNative.get(k) ?? 0) + us)
    }
  }
  const pct = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)}%`
  console.log(
    `\n## ${name}: busy ${(busy / 1e6).toFixed(1)} s of ${(total / 1e6).toFixed(1)} s sampled`,
  )
  console.log('\nself time by area (share of busy time):')
  for (const [a, us] of [...byArea].sort((x, y) => y[1] - x[1]).slice(0, 20)) {
    console.log(`  ${pct(us)}  ${a}`)
  }
  console.log('\nnative self time by JS caller:')
  for (const [k, us] of [...byNative].sort((x, y) => y[1] - x[1]).slice(0, 12)) {
    console.log(`  ${pct(us)}  ${k}`)
  }
  console.log('\ntop functions by self time:')
  for (const [fn, us] of [...byFn].sort((x, y) => y[1] - x[1]).slice(0, top)) {
    console.log(`  ${pct(us)}  ${fn}`)
  }
  console.log('\ntop functions by total time (self + callees):')
  const byTotal = inclusive(profile, selfUs)
  for (const [fn, us] of [...byTotal].sort((x, y) => y[1] - x[1]).slice(0, top)) {
    console.log(`  ${pct(us)}  ${fn}`)
  }
}

function label(node: ProfileNode): string {
  const { functionName, url } = node.callFrame
  return `${functionName || '(anonymous)'}  ${url ? area(url) : ''}`
}

/** Total time per function; a function already on the stack (recursion) is counted once. */
function inclusive(profile: Profile, selfUs: Map<number, number>): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const totals = new Map<string, number>()
  const walk = (node: ProfileNode, onStack: Set<string>): number => {
    let us = selfUs.get(node.id) ?? 0
    const key = label(node)
    const fresh = !onStack.has(key)
    if (fresh) onStack.add(key)
    for (const id of node.children ?? []) us += walk(byId.get(id)!, onStack)
    if (fresh) {
      onStack.delete(key)
      if (!node.callFrame.functionName.startsWith('(')) totals.set(key, (totals.get(key) ?? 0) + us)
    }
    return us
  }
  const root = profile.nodes[0]
  if (root) walk(root, new Set())
  return totals
}

async function count(sinkUrl: string): Promise<number> {
  const res = await request(`${sinkUrl}/count`)
  return ((await res.body.json()) as { count: number }).count
}

/** Resolves with the sink's count once it has not changed for half a second. */
async function settle(sinkUrl: string): Promise<number> {
  let last = await count(sinkUrl)
  let stableSince = performance.now()
  for (;;) {
    await sleep(100)
    const now = await count(sinkUrl)
    if (now !== last) {
      last = now
      stableSince = performance.now()
    } else if (performance.now() - stableSince > 500) {
      return now
    }
  }
}

async function main() {
  const dir = tempDir()
  const sink = spawnChild({ name: 'sink', script: 'sink.ts' })
  const sinkUrl = (await sink.next()).url as string
  for (const target of targets) {
    const child =
      target === 'ours'
        ? spawnChild({
            name: 'ours',
            script: 'host-child.ts',
            args: [writeHostConfig(sinkUrl, {})],
          })
        : spawnChild({ name: 'baseline', script: 'bare-relay.ts', args: [sinkUrl] })
    const url = (await child.next()).url as string
    await runLoad({ url, seconds: 3 })
    await settle(sinkUrl)
    const before = await count(sinkUrl)
    await child.sample()
    await child.command('profile-start')
    const load = await runLoad({ url, seconds })
    // Delivery is part of the cost, so the profile runs until the backlog is gone.
    const delivered = (await settle(sinkUrl)) - before
    const file = join(dir, `${target}.cpuprofile`)
    await child.command(`profile-stop ${file}`)
    const { cpuMs } = await child.sample()
    await child.stop()
    console.log(
      `\n# ${target}: ${load.acceptedPerSec.toFixed(0)} req/s accepted, ${delivered} delivered, ` +
        `p50 ${load.p50} ms, p99 ${load.p99} ms, CPU ${((cpuMs * 1000) / delivered).toFixed(0)} µs/msg`,
    )
    summarise(target, JSON.parse(readFileSync(file, 'utf8')) as Profile)
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
