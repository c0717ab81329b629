// The child side of the protocol in children.ts: one JSON line per answer on stdout, commands on
// stdin. Kept apart so importing it does not install the parent's signal handlers.
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { createInterface } from 'node:readline'

/**
 * Child side: answers the parent's commands on stdin. `stop` (or SIGTERM/SIGINT) stops gracefully;
 * stdin closing without `stop` means the parent is gone, and nobody is left to wait for a drain.
 */
export function serveParent(stop: () => Promise<void>): void {
  let stopping = false
  const exit = () => {
    if (stopping) return
    stopping = true
    setTimeout(() => process.exit(1), 15_000).unref()
    void stop().finally(() => process.exit(0))
  }
  let session: Session | undefined
  // Event-loop stalls are what turn a fast median into a slow p99; the parent reads and resets it.
  const loop = monitorEventLoopDelay({ resolution: 5 })
  loop.enable()
  let cpuSince = process.cpuUsage()
  createInterface({ input: process.stdin })
    .on('line', async (line) => {
      const [command, arg] = line.split(' ', 2)
      if (command === 'stop') {
        exit()
      } else if (command === 'mem') {
        const m = process.memoryUsage()
        // maxRSS is in KiB.
        const maxRss = process.resourceUsage().maxRSS * 1024
        emit({ memory: { rss: m.rss, heapUsed: m.heapUsed, maxRss } })
      } else if (command === 'sample') {
        const cpu = process.cpuUsage(cpuSince)
        cpuSince = process.cpuUsage()
        const ms = (ns: number) => ns / 1e6
        emit({
          sample: {
            p50: ms(loop.percentile(50)),
            p99: ms(loop.percentile(99)),
            max: ms(loop.max),
            cpuMs: (cpu.user + cpu.system) / 1000,
          },
        })
        loop.reset()
      } else if (command === 'profile-start') {
        // In-process, so the profile covers exactly the load and not start-up or shutdown.
        session = new Session()
        session.connect()
        await session.post('Profiler.enable')
        await session.post('Profiler.setSamplingInterval', { interval: 200 })
        await session.post('Profiler.start')
        emit({ profiling: true })
      } else if (command === 'profile-stop' && session && arg) {
        const { profile } = await session.post('Profiler.stop')
        writeFileSync(arg, JSON.stringify(profile))
        session.disconnect()
        session = undefined
        emit({ profile: arg })
      }
    })
    .on('close', () => {
      if (!stopping) process.exit(1)
    })
  process.once('SIGTERM', exit)
  process.once('SIGINT', exit)
}

export function emit(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`)
}
