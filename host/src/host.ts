import 'reflect-metadata'
import { readFileSync } from 'node:fs'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { type ServerType, serve } from '@hono/node-server'
import { type CcmClient, createCcmClient } from '@plugboard/ccm'
import {
  ChannelTable,
  ConnectorManager,
  createDispatcher,
  createHttpClient,
  createInactivityMonitor,
  createLogger,
  createMetrics,
  createReceipts,
  createSkillGroups,
  describeError,
  type HostConfig,
  HostError,
  type InactivityMonitor,
  loadConfig,
  loadPlugins,
  type Metrics,
  type Pipeline,
  type PluginRegistry,
  type Settings,
  TOKENS,
  watchFile,
} from '@plugboard/core'
import type { Logger, PluginDescriptor } from '@plugboard/sdk'
import type { Hono } from 'hono'
import { container as rootContainer } from 'tsyringe'
import { type Backends, createBackends } from './backends.js'
import { createApp } from './server.js'
import { createUnifiedAdmin, type UnifiedAdmin } from './unified-admin.js'

export interface HostOptions {
  /** YAML config file; watched for changes unless `watch` is false. */
  configFile?: string
  /** Config as an object (tests, embedding); used when no file is given. */
  config?: Record<string, unknown>
  env?: NodeJS.ProcessEnv
  /** Plugins handed over in code, in addition to the discovered ones. */
  plugins?: PluginDescriptor[]
  /** Project folder whose dependencies are searched for plugins; defaults to the working directory. */
  projectDir?: string
  logger?: Logger
  watch?: boolean
}

export interface ReloadResult {
  ok: boolean
  error?: string
  started?: string[]
  replaced?: string[]
  stopped?: string[]
  unchanged?: string[]
  failed?: { id: string; error: string }[]
}

export interface Host {
  readonly app: Hono
  readonly config: HostConfig
  readonly manager: ConnectorManager
  readonly pipeline: Pipeline
  readonly registry: PluginRegistry
  readonly metrics: Metrics
  readonly channels: ChannelTable
  readonly log: Logger
  /** Base URL once listening. */
  readonly url: string | undefined
  readonly ready: boolean
  readonly lastReload: { at: string; ok: boolean; error?: string } | undefined
  /** Present when channels take their connector settings from Unified Admin. */
  readonly unifiedAdmin: UnifiedAdmin | undefined
  /** Present when CUSTOMER_INACTIVITY_TIMEOUT is on. */
  readonly inactivity: InactivityMonitor | undefined
  /** State store, pipeline and broker: embedded, or shared by replicas. */
  readonly backends: Backends
  /** Starts the HTTP server. */
  listen(port?: number): Promise<string>
  /** Re-reads the config file (or takes a new config object) and applies what changed. */
  reload(config?: Record<string, unknown>): Promise<ReloadResult>
  /** Graceful stop: stop intake, drain, close. */
  stop(): Promise<void>
}

/** The composition root: builds every service of the host and wires them together. */
export async function createHost(options: HostOptions = {}): Promise<Host> {
  const env = options.env ?? process.env
  let currentRaw = options.config
  const load = (raw?: Record<string, unknown>) =>
    loadConfig({
      ...(options.configFile ? { file: options.configFile } : { raw: raw ?? currentRaw ?? {} }),
      env,
    })
  let { config, refFiles } = load()
  if (config.unifiedAdmin.channels.length > 0 && !config.ccm.url) {
    throw new HostError(
      'CONFIG_INVALID',
      'unifiedAdmin.channels (SERVICE_IDENTIFIERS) needs CCM_URL: the settings are pulled from CCM',
    )
  }
  const log =
    options.logger ??
    createLogger({
      level: config.log.level,
      ...(config.log.path ? { destination: config.log.path } : {}),
      ...(config.log.path && config.log.fileSize ? { rotate: logRotation(config.log) } : {}),
    })
  const metrics = createMetrics()
  const backends = await createBackends(config, log)
  const { state, pipeline } = backends
  const registry = await loadPlugins({
    dirs: config.plugins.dirs,
    ...(config.plugins.dependencies ? { projectDir: options.projectDir ?? process.cwd() } : {}),
    inline: options.plugins ?? [],
  })
  for (const error of registry.errors())
    log.error({ code: error.code, fix: error.fix }, error.message)

  let manager: ConnectorManager | undefined
  const unifiedAdmin: UnifiedAdmin | undefined =
    config.unifiedAdmin.channels.length > 0
      ? createUnifiedAdmin({
          config,
          registry,
          state,
          log,
          metrics,
          apply: () => reload(),
          connectorStatus: (id) => manager?.status().find((s) => s.id === id),
        })
      : undefined
  if (unifiedAdmin) {
    await unifiedAdmin.start()
    config = unifiedAdmin.compose(config)
  }

  const channels = new ChannelTable()
  channels.replace(config.channels)
  const receipts = createReceipts({ state, pipeline, onStatus: backends.onStatus })
  const providerHttp = createHttpClient({
    ...(config.proxy.enabled
      ? {
          proxy: {
            host: config.proxy.host!,
            port: config.proxy.port!,
            ...(config.proxy.user ? { user: config.proxy.user } : {}),
            ...(config.proxy.password ? { password: config.proxy.password } : {}),
          },
        }
      : {}),
  })
  const ccm: CcmClient | undefined = config.ccm.url
    ? createCcmClient({ url: config.ccm.url, timeoutMs: config.ccm.timeoutMs })
    : undefined
  if (!ccm) log.warn('CCM_URL is not set: inbound messages wait in the queue until it is')
  const settings: Settings = {
    publicUrl: config.publicUrl,
    fileEngineUrl: config.fileEngine.url,
    fileEnginePublicUrl: config.fileEngine.publicUrl,
  }

  const container = rootContainer.createChildContainer()
  container.register(TOKENS.Container, { useValue: container })
  container.register(TOKENS.Logger, { useValue: log })
  container.register(TOKENS.Metrics, { useValue: metrics })
  container.register(TOKENS.Pipeline, { useValue: pipeline })
  container.register(TOKENS.StateStore, { useValue: state })
  container.register(TOKENS.PluginRegistry, { useValue: registry })
  container.register(TOKENS.HttpClient, { useValue: providerHttp })
  container.register(TOKENS.Settings, { useValue: settings })
  container.register(TOKENS.Channels, { useValue: channels })
  container.register(TOKENS.Receipts, { useValue: receipts })
  manager = container.resolve(ConnectorManager)
  manager.drainTimeoutMs = config.pipeline.drainTimeoutMs

  let skillGroups = createSkillGroups(config.skillGroups)
  const inactivity =
    config.customerInactivityTimeout > 0
      ? createInactivityMonitor({
          timeoutMs: config.customerInactivityTimeout * 1000,
          async end(message, connectorId) {
            await pipeline.submit({ direction: 'inbound', connectorId, message })
            metrics.inactivityEnds.inc({ connector: connectorId })
            log.info(
              {
                connector: connectorId,
                serviceIdentifier: message.header.channelData.serviceIdentifier,
              },
              'customer idle past CUSTOMER_INACTIVITY_TIMEOUT: chat ended',
            )
          },
          onError: (error) =>
            log.warn({ err: error }, 'could not end an idle chat; trying again at the next sweep'),
        })
      : undefined
  const center = {
    deliver: async (message: Parameters<CcmClient['deliver']>[0]) => {
      if (!ccm) throw new HostError('CCM_UNREACHABLE', 'CCM_URL is not set')
      const channel = channels.get(message.header.channelData.serviceIdentifier)
      await ccm.deliver(skillGroups(message, channel?.channelType))
      if (inactivity && channel) inactivity.touch(message, channel.connector)
    },
  }
  await pipeline.start(createDispatcher({ manager, receipts, center, channels, metrics, log }))

  let draining = false
  let ready = false
  let server: ServerType | undefined
  let url: string | undefined
  let lastReload: Host['lastReload']
  let stopWatching: (() => void) | undefined
  // Secrets read through ${file:} (rotated by a secret store or a mounted Kubernetes secret).
  const refWatches = new Map<string, () => void>()
  const syncWatches = () => {
    if (!stopWatching) return
    for (const [file, stop] of refWatches) {
      if (!refFiles.includes(file)) {
        stop()
        refWatches.delete(file)
      }
    }
    for (const file of refFiles) {
      if (!refWatches.has(file))
        refWatches.set(
          file,
          watchFile(file, () => void reload()),
        )
    }
  }
  const depthTimer = setInterval(() => {
    void pipeline.stats().then((s) => {
      metrics.queueDepth.set({ state: 'ready' }, s.ready)
      metrics.queueDepth.set({ state: 'dead' }, s.dead)
    })
  }, 5_000)
  depthTimer.unref()
  const purgeTimer = setInterval(() => backends.purgeExpired(), 60_000)
  purgeTimer.unref()

  await manager.apply(config.connectors)
  await backends.startIntake(config)
  ready = true

  async function reload(raw?: Record<string, unknown>): Promise<ReloadResult> {
    let next: HostConfig
    try {
      const loaded = load(raw)
      next = loaded.config
      refFiles = loaded.refFiles
      syncWatches()
      if (raw) currentRaw = raw
      if (unifiedAdmin) next = unifiedAdmin.compose(next)
    } catch (error) {
      const message = error instanceof HostError ? error.message : describeError(error)
      metrics.configReloads.inc({ outcome: 'invalid' })
      lastReload = { at: new Date().toISOString(), ok: false, error: message }
      log.error({ err: error }, 'config change rejected; the running connectors keep their config')
      return { ok: false, error: message }
    }
    for (const key of [
      'port',
      'store',
      'pipeline',
      'plugins',
      'tls',
      'proxy',
      'ccm',
      'unifiedAdmin',
      'customerInactivityTimeout',
      'broker',
      'state',
      'sendSms',
      'crm',
    ] as const) {
      if (JSON.stringify(next[key]) !== JSON.stringify(config[key])) {
        log.warn({ setting: key }, 'this setting changed but only takes effect after a restart')
      }
    }
    config = next
    channels.replace(next.channels)
    skillGroups = createSkillGroups(next.skillGroups)
    const report = await manager!.apply(next.connectors)
    const ok = report.failed.length === 0
    metrics.configReloads.inc({ outcome: ok ? 'applied' : 'partial' })
    lastReload = {
      at: new Date().toISOString(),
      ok,
      ...(ok ? {} : { error: report.failed.map((f) => `${f.id}: ${f.error}`).join('; ') }),
    }
    log.info({ ...report }, 'config applied')
    return { ok, ...report }
  }

  const host: Host = {
    app: undefined as unknown as Hono,
    get config() {
      return config
    },
    manager,
    pipeline,
    registry,
    metrics,
    channels,
    log,
    get url() {
      return url
    },
    get ready() {
      return ready && !draining
    },
    get lastReload() {
      return lastReload
    },
    unifiedAdmin,
    inactivity,
    backends,
    async listen(port = config.port) {
      const tls = config.tls.enabled
        ? {
            createServer: createHttpsServer,
            serverOptions: {
              key: readFileSync(config.tls.keyPath!),
              cert: readFileSync(config.tls.certPath!),
            },
          }
        : {}
      server = await new Promise<ServerType>((resolve) => {
        const s = serve({ fetch: host.app.fetch, port, hostname: config.host, ...tls }, () =>
          resolve(s),
        )
      })
      const address = server.address() as AddressInfo
      const hostname = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host
      url = `${config.tls.enabled ? 'https' : 'http'}://${hostname}:${address.port}`
      if (options.configFile && options.watch !== false) {
        stopWatching = watchFile(options.configFile, () => void reload())
        syncWatches()
      }
      log.info(
        { url, connectors: config.connectors.length, channels: channels.size },
        'plugboard is listening',
      )
      return url
    },
    reload,
    async stop() {
      if (draining) return
      draining = true
      stopWatching?.()
      for (const stop of refWatches.values()) stop()
      await unifiedAdmin?.stop()
      inactivity?.stop()
      clearInterval(depthTimer)
      clearInterval(purgeTimer)
      log.info('stopping: intake closed, draining in-flight messages')
      pipeline.stopIntake()
      await backends.stopIntake()
      const closing = server
        ? new Promise<void>((resolve) => server!.close(() => resolve()))
        : Promise.resolve()
      ;(server as { closeIdleConnections?: () => void } | undefined)?.closeIdleConnections?.()
      const drained = await pipeline.drain(config.pipeline.drainTimeoutMs)
      if (!drained)
        log.warn('drain timed out; unfinished messages stay queued and are delivered after restart')
      await manager.stopAll()
      ;(server as { closeAllConnections?: () => void } | undefined)?.closeAllConnections?.()
      await closing
      await pipeline.close()
      await Promise.allSettled([providerHttp.close(), ccm?.close()])
      await backends.close()
      log.info('stopped')
    },
  }
  ;(host as { app: Hono }).app = createApp({ host, isDraining: () => draining })
  return host
}

/** LOG_FILE_SIZE / LOG_BACKUP_FILES, with LOGS_TOTAL_SIZE lowering the files kept to fit. */
function logRotation(log: HostConfig['log']): { maxBytes: number; backups: number } {
  const maxBytes = log.fileSize!
  const fit = log.totalSize ? Math.max(0, Math.floor(log.totalSize / maxBytes) - 1) : Infinity
  return { maxBytes, backups: Math.min(log.backupFiles, fit) }
}
