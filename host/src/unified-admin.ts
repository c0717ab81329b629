import {
  createUnifiedAdminClient,
  createUnifiedAdminSource,
  type Push,
  type ResolvedConfig,
  resolveSnapshot,
  type UnifiedAdminClient,
  UnifiedAdminError,
  type UnifiedAdminSnapshot,
  type UnifiedAdminSource,
} from '@plugboard/ccm'
import {
  ConnectorSchema,
  type HostConfig,
  type Metrics,
  type PluginRegistry,
  type StateStore,
} from '@plugboard/core'
import type { Logger } from '@plugboard/sdk'

const CACHE_NS = 'unified-admin'
const CACHE_KEY = 'snapshot'

export interface UnifiedAdminDeps {
  config: HostConfig
  registry: PluginRegistry
  state: StateStore
  log: Logger
  metrics: Metrics
  /** Re-composes the config and applies what changed (the host's reload). */
  apply(): Promise<{ failed?: { id: string; error: string }[] }>
  /** The connector's state after an apply. */
  connectorStatus(
    id: string,
  ):
    | { state: string; configVersion?: string | undefined; lastError?: string | undefined }
    | undefined
  client?: Pick<UnifiedAdminClient, 'fetchChannel' | 'close'>
}

export interface PushOutcome {
  status: 200 | 404 | 422 | 503
  body: Record<string, unknown>
}

export interface UnifiedAdmin {
  /** Loads kept settings and pulls from CCM; resolves even when CCM is down. */
  start(): Promise<void>
  /** The file config with Unified Admin's connectors and channels merged in. */
  compose(file: HostConfig): HostConfig
  push(push: Push): Promise<PushOutcome>
  resync(): Promise<{ changed: string[]; failed: { serviceIdentifier: string; error: string }[] }>
  readonly synced: boolean
  status(): Record<string, unknown>
  stop(): Promise<void>
}

/**
 * Connector settings from Unified Admin, beside (or instead of) the config file: the file names
 * the channels (serviceIdentifiers); CCM says which provider runs each and with which attributes.
 */
export function createUnifiedAdmin(deps: UnifiedAdminDeps): UnifiedAdmin {
  const { log, metrics } = deps
  const settings = deps.config.unifiedAdmin
  const refs = settings.channels
  const client =
    deps.client ??
    createUnifiedAdminClient({ url: deps.config.ccm.url!, timeoutMs: deps.config.ccm.timeoutMs })
  let resolved: ResolvedConfig = { connectors: [], channels: [], problems: [] }
  let started = false
  let reported = ''
  let lastApply: Awaited<ReturnType<UnifiedAdminDeps['apply']>> | undefined

  const resolve = (snapshot: UnifiedAdminSnapshot) => {
    resolved = resolveSnapshot(snapshot, {
      refs,
      plugins: deps.registry.list().map((p) => p.descriptor),
      providers: settings.providers,
    })
    // Say each problem once per change, not on every resync.
    const now = JSON.stringify([resolved.problems, resolved.connectors.map((c) => c.unknownKeys)])
    if (now !== reported) {
      reported = now
      for (const p of resolved.problems)
        log.error({ serviceIdentifier: p.serviceIdentifier }, p.message)
      for (const c of resolved.connectors) {
        if (c.unknownKeys.length > 0) {
          log.warn(
            { connector: c.id, keys: c.unknownKeys },
            `Unified Admin attributes the ${c.plugin} plugin has no field for; they are ignored`,
          )
        }
      }
    }
  }

  const source: UnifiedAdminSource = createUnifiedAdminSource({
    client,
    serviceIdentifiers: refs.map((r) => r.serviceIdentifier),
    cache: {
      load: () => deps.state.get<UnifiedAdminSnapshot>(CACHE_NS, CACHE_KEY),
      save: (snapshot) => deps.state.set(CACHE_NS, CACHE_KEY, snapshot),
    },
    resyncIntervalMs: settings.resyncIntervalMs,
    retryIntervalMs: settings.retryIntervalMs,
    log,
    async onChange(snapshot, cause, changed) {
      resolve(snapshot)
      if (cause !== 'push') {
        metrics.unifiedAdmin.inc({ event: cause, outcome: 'applied' })
        log.info({ cause, channels: changed }, 'Unified Admin settings changed')
      }
      // Before start, the host applies the composed config itself.
      if (started) lastApply = await deps.apply()
    },
  })

  return {
    async start() {
      await source.start()
      resolve(source.snapshot())
      started = true
    },
    compose(file) {
      const connectors = [...file.connectors]
      for (const rc of resolved.connectors) {
        const i = connectors.findIndex((c) => c.id === rc.id)
        const fromFile = connectors[i]
        if (fromFile) {
          if (fromFile.plugin !== rc.plugin) {
            log.error(
              { connector: rc.id },
              `the config file runs connector ${rc.id} with plugin ${fromFile.plugin}, Unified Admin with ${rc.plugin}; the file wins`,
            )
            continue
          }
          // The file holds what Unified Admin has no attribute for (timeouts, base URLs…).
          connectors[i] = { ...fromFile, config: { ...fromFile.config, ...rc.config } }
        } else {
          connectors.push(
            ConnectorSchema.parse({ id: rc.id, plugin: rc.plugin, config: rc.config }),
          )
        }
      }
      const known = new Set(file.channels.map((c) => c.serviceIdentifier))
      const channels = [
        ...file.channels,
        ...resolved.channels
          .filter((c) => !known.has(c.serviceIdentifier))
          .map((c) => ({ ...c, route: 'ccm' as const })),
      ]
      return { ...file, connectors, channels }
    },
    async push(push) {
      const sid = push.serviceIdentifier
      lastApply = undefined
      try {
        const result = await source.push(push)
        const channel = resolved.channels.find((c) => c.serviceIdentifier === sid)
        const problem = resolved.problems.find((p) => p.serviceIdentifier === sid)
        if (problem || !channel) {
          metrics.unifiedAdmin.inc({ event: 'push', outcome: 'rejected' })
          return {
            status: 422,
            body: {
              applied: false,
              error: {
                code: 'CONFIG_UNRESOLVED',
                message: problem?.message ?? `channel ${sid} could not be resolved`,
              },
            },
          }
        }
        const connector = resolved.connectors.find((c) => c.id === channel.connector)
        const status = deps.connectorStatus(channel.connector)
        // Set by onChange while source.push ran (TypeScript cannot see that mutation).
        const applied = lastApply as Awaited<ReturnType<UnifiedAdminDeps['apply']>> | undefined
        const failure = applied?.failed?.find((f) => f.id === channel.connector)
        if (failure) {
          metrics.unifiedAdmin.inc({ event: 'push', outcome: 'rejected' })
          return {
            status: 422,
            body: {
              applied: false,
              serviceIdentifier: sid,
              connector: channel.connector,
              state: status?.state,
              configVersion: status?.configVersion,
              error: {
                code: 'CONFIG_INVALID',
                message: failure.error,
                fix: 'correct the attributes in Unified Admin; the connector keeps its previous settings until then',
              },
            },
          }
        }
        metrics.unifiedAdmin.inc({
          event: 'push',
          outcome: result.changedKeys.length > 0 ? 'applied' : 'unchanged',
        })
        log.info(
          { serviceIdentifier: sid, connector: channel.connector, keys: result.changedKeys },
          result.changedKeys.length > 0
            ? 'Unified Admin push applied'
            : 'Unified Admin push changed nothing',
        )
        return {
          status: 200,
          body: {
            applied: true,
            serviceIdentifier: sid,
            connector: channel.connector,
            plugin: connector?.plugin,
            changedKeys: result.changedKeys,
            ignoredKeys: connector?.unknownKeys ?? [],
            state: status?.state,
            configVersion: status?.configVersion,
          },
        }
      } catch (error) {
        metrics.unifiedAdmin.inc({ event: 'push', outcome: 'failed' })
        if (error instanceof UnifiedAdminError) {
          log.error({ serviceIdentifier: sid, fix: error.fix }, error.message)
          return {
            status: error.code === 'UA_NOT_FOUND' ? 404 : 503,
            body: {
              applied: false,
              error: { code: error.code, message: error.message, fix: error.fix },
            },
          }
        }
        throw error
      }
    },
    resync: () => source.resync(),
    get synced() {
      return source.synced
    },
    status() {
      return {
        synced: source.synced,
        lastSyncAt: source.lastSyncAt ?? null,
        lastError: source.lastError ?? null,
        channels: refs.map((r) => {
          const ch = resolved.channels.find((c) => c.serviceIdentifier === r.serviceIdentifier)
          const problem = resolved.problems.find((p) => p.serviceIdentifier === r.serviceIdentifier)
          return {
            serviceIdentifier: r.serviceIdentifier,
            connector: ch?.connector ?? null,
            problem: problem?.message ?? (ch ? null : 'not pulled yet'),
          }
        }),
      }
    },
    async stop() {
      source.stop()
      await client.close()
    },
  }
}
