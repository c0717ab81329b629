import type { Logger } from '@plugboard/sdk'
import { type UnifiedAdminClient, UnifiedAdminError } from './client.js'
import type { Push, UnifiedAdminChannel, UnifiedAdminSnapshot } from './model.js'

export type ChangeCause = 'cache' | 'pull' | 'push' | 'resync'

export interface SnapshotCache {
  load(): Promise<UnifiedAdminSnapshot | undefined>
  save(snapshot: UnifiedAdminSnapshot): Promise<void>
}

export interface UnifiedAdminSourceOptions {
  client: Pick<UnifiedAdminClient, 'fetchChannel'>
  serviceIdentifiers: readonly string[]
  /** Keeps the last good settings, so a restart while CCM is down still runs the connectors. */
  cache: SnapshotCache
  /** 0: no periodic resync. */
  resyncIntervalMs: number
  /** Pause between pulls while not yet synced. */
  retryIntervalMs: number
  log: Logger
  /** Applies a changed snapshot; its errors are logged, the snapshot is kept either way. */
  onChange(snapshot: UnifiedAdminSnapshot, cause: ChangeCause, changed: string[]): Promise<void>
}

export interface SyncReport {
  /** Channels whose settings changed. */
  changed: string[]
  /** Channels CCM could not be asked about (kept as they were). */
  failed: { serviceIdentifier: string; error: string }[]
}

export interface PushResult {
  channel: UnifiedAdminChannel
  /** Attribute keys whose value changed. */
  changedKeys: string[]
}

export interface UnifiedAdminSource {
  /** Loads the cache, then pulls once; never throws because CCM is down. */
  start(): Promise<void>
  /** True once every channel was pulled from CCM since start. */
  readonly synced: boolean
  readonly lastError: string | undefined
  readonly lastSyncAt: string | undefined
  snapshot(): UnifiedAdminSnapshot
  /** Applies a pushed change; throws UnifiedAdminError when the channel is not ours or unknown. */
  push(push: Push): Promise<PushResult>
  /** Pulls every channel now. */
  resync(): Promise<SyncReport>
  stop(): void
}

/**
 * The Unified Admin config source: pull at start, push on change, periodic resync to repair a
 * lost push. Changes are serialised, so a resync and a push never interleave their writes.
 */
export function createUnifiedAdminSource(options: UnifiedAdminSourceOptions): UnifiedAdminSource {
  const { log } = options
  const wanted = new Set(options.serviceIdentifiers)
  let snapshot: UnifiedAdminSnapshot = { channels: {} }
  let synced = false
  let lastError: string | undefined
  let lastSyncAt: string | undefined
  let timer: NodeJS.Timeout | undefined
  let stopped = false
  let chain: Promise<unknown> = Promise.resolve()

  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn, fn)
    chain = next.catch(() => undefined)
    return next
  }

  const commit = async (
    next: UnifiedAdminSnapshot,
    cause: ChangeCause,
    changed: string[],
  ): Promise<void> => {
    snapshot = next
    await options.cache.save(next).catch((error: unknown) => {
      log.warn({ err: error }, 'could not keep the Unified Admin settings for the next start')
    })
    if (changed.length === 0) return
    await options.onChange(next, cause, changed).catch((error: unknown) => {
      log.error({ err: error, cause }, 'applying Unified Admin settings failed')
    })
  }

  const pullAll = (cause: ChangeCause) =>
    serial(async (): Promise<SyncReport> => {
      const report: SyncReport = { changed: [], failed: [] }
      const channels = { ...snapshot.channels }
      await Promise.all(
        [...wanted].map(async (sid) => {
          try {
            const channel = await options.client.fetchChannel(sid)
            if (!sameChannel(channels[sid], channel)) report.changed.push(sid)
            channels[sid] = channel
          } catch (error) {
            if (error instanceof UnifiedAdminError && error.code === 'UA_NOT_FOUND') {
              // A definite answer: the channel is gone, so stop serving it.
              if (channels[sid]) report.changed.push(sid)
              delete channels[sid]
              log.error({ serviceIdentifier: sid, fix: error.fix }, error.message)
              return
            }
            const message = error instanceof Error ? error.message : String(error)
            report.failed.push({ serviceIdentifier: sid, error: message })
          }
        }),
      )
      const ok = report.failed.length === 0
      const now = new Date().toISOString()
      if (ok) {
        lastSyncAt = now
        lastError = undefined
        if (!synced) log.info({ channels: wanted.size }, 'Unified Admin settings pulled from CCM')
        synced = true
      } else {
        lastError = report.failed.map((f) => `${f.serviceIdentifier}: ${f.error}`).join('; ')
        log.error(
          { failed: report.failed.length, of: wanted.size, synced },
          `cannot pull Unified Admin settings from CCM (${report.failed[0]?.error}); ${
            synced || Object.keys(channels).length > 0
              ? 'running on the last settings it had'
              : 'the affected channels stay down'
          } and retrying`,
        )
      }
      await commit({ syncedAt: ok ? now : snapshot.syncedAt, channels }, cause, report.changed)
      return report
    })

  const schedule = () => {
    if (stopped) return
    clearTimeout(timer)
    const delay = synced ? options.resyncIntervalMs : options.retryIntervalMs
    if (delay <= 0) return
    timer = setTimeout(() => {
      void pullAll(synced ? 'resync' : 'pull').finally(schedule)
    }, delay)
    timer.unref()
  }

  return {
    async start() {
      const cached = await options.cache.load().catch((error: unknown) => {
        log.warn({ err: error }, 'could not read the kept Unified Admin settings')
        return undefined
      })
      if (cached) {
        const channels = Object.fromEntries(
          Object.entries(cached.channels).filter(([sid]) => wanted.has(sid)),
        )
        await serial(() =>
          commit({ ...cached, channels }, 'cache', Object.keys(channels)).then(() => undefined),
        )
      }
      await pullAll('pull')
      schedule()
    },
    get synced() {
      return synced
    },
    get lastError() {
      return lastError
    },
    get lastSyncAt() {
      return lastSyncAt
    },
    snapshot: () => snapshot,
    push(push) {
      return serial(async () => {
        const sid = push.serviceIdentifier
        if (!wanted.has(sid)) {
          throw new UnifiedAdminError(
            'UA_NOT_FOUND',
            `serviceIdentifier '${sid}' is not served by this host`,
            'add it to unifiedAdmin.channels (SERVICE_IDENTIFIERS), or point the channel provider at the host that serves it',
          )
        }
        const known = snapshot.channels[sid]
        // Without the channel we cannot tell which plugin runs it: ask CCM (which already has the change).
        const base = known ?? (await options.client.fetchChannel(sid))
        const attributes = mergeAttributes(base.attributes, push.connectorConfigurations)
        const channel: UnifiedAdminChannel = { ...base, attributes }
        const changedKeys = diffKeys(known?.attributes ?? [], attributes)
        // Channels sharing the connector get the new values too: they are one connector.
        const channels = { ...snapshot.channels, [sid]: channel }
        const changed = [sid]
        for (const [other, ch] of Object.entries(channels)) {
          if (other !== sid && ch.connector.id && ch.connector.id === channel.connector.id) {
            channels[other] = { ...ch, attributes }
            changed.push(other)
          }
        }
        await commit(
          { ...snapshot, channels },
          'push',
          known && changedKeys.length === 0 ? [] : changed,
        )
        return { channel, changedKeys }
      })
    },
    resync: () => pullAll('resync'),
    stop() {
      stopped = true
      clearTimeout(timer)
    },
  }
}

function mergeAttributes(
  current: readonly UnifiedAdminChannel['attributes'][number][],
  pushed: readonly UnifiedAdminChannel['attributes'][number][],
) {
  const byKey = new Map(current.map((a) => [a.key, a]))
  for (const a of pushed) byKey.set(a.key, { key: a.key, type: a.type, value: a.value })
  return [...byKey.values()]
}

function diffKeys(
  before: readonly UnifiedAdminChannel['attributes'][number][],
  after: readonly UnifiedAdminChannel['attributes'][number][],
): string[] {
  const old = new Map(before.map((a) => [a.key, JSON.stringify(a.value)]))
  return after.filter((a) => old.get(a.key) !== JSON.stringify(a.value)).map((a) => a.key)
}

function sameChannel(a: UnifiedAdminChannel | undefined, b: UnifiedAdminChannel): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b)
}
