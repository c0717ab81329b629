import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { repoRoot } from './children.js'

const tempDirs: string[] = []
process.on('exit', removeTempDirs)

export function tempDir(): string {
  const dir = mkdtempSync(join(os.tmpdir(), 'plugboard-bench-'))
  tempDirs.push(dir)
  return dir
}

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true })
}

/**
 * A host config file in a fresh temp folder (its own SQLite store). Connector `bench` with
 * channel 1000 takes the load; more channels only add start-up work.
 */
export function writeHostConfig(sinkUrl: string, options: { port?: number; channels?: number }) {
  const dir = tempDir()
  const total = options.channels ?? 1
  // Spread over several connectors, as a real deployment would, rather than 1,000 on one.
  const others = total > 1 ? Array.from({ length: 10 }, (_, i) => `bench-${i}`) : []
  const config = {
    port: options.port ?? 0,
    host: '127.0.0.1',
    log: { level: 'warn' },
    ccm: { url: sinkUrl },
    store: { path: join(dir, 'bench.db') },
    plugins: { dirs: [join(repoRoot, 'plugins')], dependencies: false },
    connectors: ['bench', ...others].map((id) => ({
      id,
      plugin: 'generic-http',
      config: { outboundUrl: 'http://127.0.0.1:9/unused' },
    })),
    channels: Array.from({ length: total }, (_, i) => ({
      serviceIdentifier: String(1000 + i),
      connector: i === 0 ? 'bench' : others[i % others.length],
    })),
  }
  const file = join(dir, 'config.json')
  writeFileSync(file, JSON.stringify(config))
  return file
}
