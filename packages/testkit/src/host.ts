import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createHost, type Host } from '@plugboard/host'
import type { PluginDescriptor } from '@plugboard/sdk'

export interface TestHostOptions {
  /** Connectors and channels, as in the YAML config. */
  connectors?: Record<string, unknown>[]
  channels?: Record<string, unknown>[]
  /** CCM base URL, usually a CCM simulator's `url`. */
  ccmUrl?: string
  /** Plugins handed in code (in addition to none discovered: discovery is off unless `pluginDirs` is set). */
  plugins?: PluginDescriptor[]
  pluginDirs?: string[]
  /** Any other config keys (pipeline.retry, admin, …). */
  config?: Record<string, unknown>
  /** Reuse a store folder (to restart a host on the same data); a fresh temp folder otherwise. */
  storeDir?: string
}

export interface TestHost {
  host: Host
  url: string
  storeDir: string
  /** Applies a new set of connectors/channels as a config edit would. */
  reconfigure(change: {
    connectors?: Record<string, unknown>[]
    channels?: Record<string, unknown>[]
  }): ReturnType<Host['reload']>
  /** Graceful stop; removes the temp store unless `keepStore`. */
  stop(options?: { keepStore?: boolean }): Promise<void>
}

/**
 * Starts a real host in this process on a free loopback port with its own SQLite store, no file
 * watching and quiet logs.
 */
export async function startTestHost(options: TestHostOptions = {}): Promise<TestHost> {
  const storeDir = options.storeDir ?? mkdtempSync(join(tmpdir(), 'plugboard-test-'))
  let current: Record<string, unknown> = {
    port: 0,
    host: '127.0.0.1',
    log: { level: process.env.LOG_LEVEL ?? 'silent' },
    pipeline: { retry: { baseDelayMs: 50, maxDelayMs: 500 } },
    ...options.config,
    store: { path: join(storeDir, 'plugboard.db') },
    plugins: { dirs: options.pluginDirs ?? [], dependencies: false },
    ...(options.ccmUrl ? { ccm: { url: options.ccmUrl } } : {}),
    connectors: options.connectors ?? [],
    channels: options.channels ?? [],
  }
  const host = await createHost({
    config: current,
    env: {},
    plugins: options.plugins ?? [],
    watch: false,
  })
  const url = await host.listen(0)
  return {
    host,
    url,
    storeDir,
    reconfigure(change) {
      current = { ...current, ...change }
      return host.reload(current)
    },
    async stop(stopOptions = {}) {
      await host.stop()
      if (!stopOptions.keepStore && !options.storeDir)
        rmSync(storeDir, { recursive: true, force: true })
    },
  }
}
