// Where a relay's CPU goes under saturated load: samples the host (and the bare relay, for
// comparison) during one load run and prints the top self-time functions and packages.
// Run: node --import tsx bench/profile.ts   (BENCH_SECONDS, BENCH_PROFILE_TARGETS=ours,baseline)
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { spawnChild, stopAll } from './children.js'
import { removeTempDirs, tempDir, writeHostConfig } from './host-config.js'
import { runLoad } from './load.js'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount?: number
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
  const ours = /\/work\/main\/(packages\/[^/]+|plugins\/[^/]+|host|test)\//.exec(url)
  if (ours) return ours[1]!
  return url.replace(/^file:\/\//, '')
}

function summarise(name: string, profile: Profile, top = 30): void {
  const selfUs = new Map<number, number>()
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0))
  })
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
  }
  const pct = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)}%`
  console.log(
    `\n## ${name}: busy ${(busy / 1e6).toFixed(1)} s of ${(total / 1e6).toFixed(1)} s sampled`,
  )
  console.log('\nself time by area (share of busy time):')
  for (const [a, us] of [...byArea].sort((x, y) => y[1] - x[1]).slice(0, 20)) {
    console.log(`  ${pct(us)}  ${a}`)
  }
  console.log('\ntop functions by self time:')
  for (const [fn, us] of [...byFn].sort((x, y) => y[1] - x[1]).slice(0, top)) {
    console.log(`  ${pct(us)}  ${fn}`)
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
    await child.command('profile-start')
    const load = await runLoad({ url, seconds })
    // Lets the host's workers finish the backlog inside the profile, as delivery is part of the cost.
    await new Promise((resolve) => setTimeout(resolve, 3_000))
    const file = join(dir, `${target}.cpuprofile`)
    await child.command(`profile-stop ${file}`)
    await child.stop()
    console.log(
      `\n# ${target}: ${load.acceptedPerSec.toFixed(0)} req/s accepted, p50 ${load.p50} ms, p99 ${load.p99} ms`,
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
