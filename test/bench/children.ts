import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
export const benchDir = fileURLToPath(new URL('./', import.meta.url))

export interface Memory {
  rss: number
  heapUsed: number
  /** Peak resident set size over the child's lifetime. */
  maxRss: number
}

/** The child's event-loop delay (ms) and CPU time (ms) since the previous reading. */
export interface Sample {
  p50: number
  p99: number
  max: number
  cpuMs: number
}

export interface Child {
  name: string
  pid: number
  /** The next JSON line the child prints on stdout. */
  next(timeoutMs?: number): Promise<Record<string, unknown>>
  memory(): Promise<Memory>
  /** Event-loop delay and CPU time since the last call. */
  sample(): Promise<Sample>
  /** Sends a command (`profile-start`, `profile-stop FILE`) and waits for the child's answer. */
  command(line: string): Promise<Record<string, unknown>>
  /** Graceful stop (`stop`, then stdin closed), then SIGKILL after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>
  exited: Promise<number | null>
}

export interface SpawnOptions {
  name: string
  /** A .ts file under test/bench. */
  script: string
  args?: string[]
}

const live = new Set<ChildProcess>()

// A synchronous kill is all an 'exit' handler may do; children also exit on their own once their
// stdin closes, which covers the parent being SIGKILLed.
process.on('exit', () => {
  for (const proc of live) proc.kill('SIGKILL')
})
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    void stopAll().finally(() => process.exit(130))
  })
}

export async function stopAll(): Promise<void> {
  await Promise.allSettled([...children].map((c) => c.stop(3_000)))
}

const children = new Set<Child>()

/** Runs `node --import tsx <script>` from the repo root, so tsx uses the root tsconfig. */
export function spawnChild(options: SpawnOptions): Child {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', `${benchDir}${options.script}`, ...(options.args ?? [])],
    {
      cwd: repoRoot,
      env: { ...process.env, TSX_TSCONFIG_PATH: `${repoRoot}tsconfig.json` },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  )
  live.add(proc)
  const stderr: string[] = []
  const lines: Record<string, unknown>[] = []
  const waiters: ((line: Record<string, unknown>) => void)[] = []
  const exited = new Promise<number | null>((resolve) => {
    proc.once('exit', (code) => {
      live.delete(proc)
      resolve(code)
    })
  })
  createInterface({ input: proc.stderr! }).on('line', (line) => {
    stderr.push(line)
    if (stderr.length > 50) stderr.shift()
    if (process.env.BENCH_VERBOSE) console.error(`[${options.name}] ${line}`)
  })
  createInterface({ input: proc.stdout! }).on('line', (text) => {
    let line: Record<string, unknown>
    try {
      line = JSON.parse(text) as Record<string, unknown>
    } catch {
      // Stray output (a log line, a warning) is not part of the protocol.
      return
    }
    const waiter = waiters.shift()
    if (waiter) waiter(line)
    else lines.push(line)
  })
  proc.stdin!.on('error', () => {})

  const child: Child = {
    name: options.name,
    pid: proc.pid!,
    exited,
    next(timeoutMs = 60_000) {
      const queued = lines.shift()
      if (queued) return Promise.resolve(queued)
      return new Promise((resolve, reject) => {
        const fail = (why: string) =>
          reject(new Error(`${options.name} ${why}\n${stderr.join('\n')}`))
        const timer = setTimeout(() => fail(`sent nothing within ${timeoutMs} ms`), timeoutMs)
        void exited.then((code) => {
          clearTimeout(timer)
          fail(`exited with ${code}`)
        })
        waiters.push((line) => {
          clearTimeout(timer)
          resolve(line)
        })
      })
    },
    async memory() {
      proc.stdin!.write('mem\n')
      for (;;) {
        const line = await child.next(10_000)
        // Skips lines nobody read, such as the URL of a child timed from outside.
        if (line.memory) return line.memory as Memory
      }
    },
    async sample() {
      return (await child.command('sample')).sample as Sample
    },
    command(line) {
      proc.stdin!.write(`${line}\n`)
      return child.next(30_000)
    },
    async stop(timeoutMs = 20_000) {
      children.delete(child)
      if (proc.exitCode !== null || proc.signalCode !== null) return
      proc.stdin!.end('stop\n')
      const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs)
      await exited
      clearTimeout(timer)
    },
  }
  children.add(child)
  return child
}

/** A port that was free a moment ago, for children whose start must be timed from spawn. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}
