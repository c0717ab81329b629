import { type ChildProcess, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

const bin = fileURLToPath(new URL('../../host/bin/plugboard.js', import.meta.url))

export interface ProcessHost {
  url: string
  child: ChildProcess
  /** Every log line the host printed, parsed. */
  logs: Record<string, unknown>[]
  /** Resolves with the exit code (or signal) once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  kill(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/**
 * Runs `plugboard start --config FILE` as a real child process (for crash, signal and CLI tests)
 * and resolves once it logs that it is listening.
 */
export async function startProcessHost(
  configFile: string,
  env: Record<string, string> = {},
  timeoutMs = 30_000,
): Promise<ProcessHost> {
  const child = spawn(process.execPath, [bin, 'start', '--config', configFile], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const logs: Record<string, unknown>[] = []
  const stderr: string[] = []
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }))
  })
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`host did not start within ${timeoutMs} ms\n${stderr.join('\n')}`)),
      timeoutMs,
    )
    void exited.then(({ code }) => {
      clearTimeout(timer)
      reject(
        new Error(
          `host exited with ${code} before listening\n${stderr.join('\n')}\n${JSON.stringify(logs)}`,
        ),
      )
    })
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let entry: Record<string, unknown>
      try {
        entry = JSON.parse(line) as Record<string, unknown>
      } catch {
        entry = { msg: line }
      }
      logs.push(entry)
      if (entry.msg === 'plugboard is listening' && typeof entry.url === 'string') {
        clearTimeout(timer)
        resolve(entry.url)
      }
    })
  })
  return {
    url,
    child,
    logs,
    exited,
    async kill(signal = 'SIGTERM') {
      child.kill(signal)
      return exited
    },
  }
}
