/**
 * @module
 * Messenger reports delivery and reading as watermarks: "everything sent to this customer up to
 * time W". To turn a watermark into receipts for single messages, the connector keeps, per page
 * and customer, the ids of the messages it sent with the time it sent them.
 */
import type { KeyValueStore, PluginContext } from '@plugboard/sdk'

export interface SentEntry {
  mid: string
  /** Epoch ms taken just before the Send API call, so at or before Meta's own time for it. */
  at: number
  /** Set once a delivery receipt was reported. */
  delivered?: true
}

export interface SentLogOptions {
  /** Entries older than this are dropped; default 7 days, the host's own retention. */
  retentionMs?: number
  /** Most entries kept per customer; the oldest go first. Default 200. */
  maxEntries?: number
  now?: () => number
}

/** What a watermark means for the messages of one customer. */
export interface WatermarkOutcome {
  /** Message ids to report delivered, oldest first. */
  delivered: string[]
  /** Message ids to report read, oldest first. */
  read: string[]
}

export interface SentLog {
  /**
   * Keeps a sent message. A watermark that already covers it (Meta's receipt beat the Send
   * API's answer here) is applied at once through `report`.
   */
  record(
    pageId: string,
    psid: string,
    entry: SentEntry,
    report: (outcome: WatermarkOutcome) => Promise<void>,
  ): Promise<WatermarkOutcome>
  /**
   * Applies a delivery watermark (plus the `mids` Meta may list) and calls `report` with what it
   * newly covers before saving, so a failing report leaves the log as it was and a retried
   * webhook reports again.
   */
  delivery(
    pageId: string,
    psid: string,
    watermark: number,
    mids: readonly string[],
    report: (outcome: WatermarkOutcome) => Promise<void>,
  ): Promise<WatermarkOutcome>
  /** Applies a read watermark: covered messages are read (and delivered, if not yet), then forgotten. */
  read(
    pageId: string,
    psid: string,
    watermark: number,
    report: (outcome: WatermarkOutcome) => Promise<void>,
  ): Promise<WatermarkOutcome>
}

const DAY = 24 * 3600_000

/** What is kept per customer: the messages not yet read, and the highest watermarks seen. */
interface Stored {
  entries: SentEntry[]
  delivered?: number
  read?: number
}

export function createSentLog(
  store: KeyValueStore,
  lock: <T>(key: string, fn: () => Promise<T>) => Promise<T>,
  options: SentLogOptions = {},
): SentLog {
  const retention = options.retentionMs ?? 7 * DAY
  const max = options.maxEntries ?? 200
  const now = options.now ?? Date.now
  const key = (pageId: string, psid: string) => `sent:${pageId}:${psid}`

  const load = async (k: string): Promise<Stored> => {
    const value = await store.get<Stored>(k)
    return value && Array.isArray(value.entries) ? value : { entries: [] }
  }
  const save = async (k: string, stored: Stored) => {
    const cutoff = now() - retention
    const entries = stored.entries.filter((e) => e.at >= cutoff).slice(-max)
    await store.set(k, { ...stored, entries }, { ttlMs: retention })
  }
  const highest = (a: number | undefined, b: number) => (a === undefined ? b : Math.max(a, b))

  return {
    record(pageId, psid, entry, report) {
      const k = key(pageId, psid)
      return lock(k, async () => {
        const stored = await load(k)
        const outcome: WatermarkOutcome = { delivered: [], read: [] }
        const read = stored.read !== undefined && entry.at <= stored.read
        const delivered = read || (stored.delivered !== undefined && entry.at <= stored.delivered)
        if (delivered) outcome.delivered.push(entry.mid)
        if (read) outcome.read.push(entry.mid)
        if (delivered) await report(outcome)
        if (!read) {
          stored.entries.push(delivered ? { ...entry, delivered: true } : entry)
          stored.entries.sort((a, b) => a.at - b.at)
        }
        await save(k, stored)
        return outcome
      })
    },

    delivery(pageId, psid, watermark, mids, report) {
      const k = key(pageId, psid)
      return lock(k, async () => {
        const stored = await load(k)
        const listed = new Set(mids)
        const delivered: string[] = []
        const entries = stored.entries.map((e) => {
          if (e.delivered || (e.at > watermark && !listed.has(e.mid))) return e
          delivered.push(e.mid)
          return { ...e, delivered: true as const }
        })
        // Listed ids this log does not hold (sent before it existed) may still be the host's.
        const known = new Set(stored.entries.map((e) => e.mid))
        for (const mid of mids) if (!known.has(mid)) delivered.push(mid)
        const outcome = { delivered, read: [] }
        if (delivered.length > 0) await report(outcome)
        await save(k, { ...stored, entries, delivered: highest(stored.delivered, watermark) })
        return outcome
      })
    },

    read(pageId, psid, watermark, report) {
      const k = key(pageId, psid)
      return lock(k, async () => {
        const stored = await load(k)
        const covered = stored.entries.filter((e) => e.at <= watermark)
        const outcome = {
          delivered: covered.filter((e) => !e.delivered).map((e) => e.mid),
          read: covered.map((e) => e.mid),
        }
        if (covered.length > 0) await report(outcome)
        await save(k, {
          entries: stored.entries.filter((e) => e.at > watermark),
          delivered: highest(stored.delivered, watermark),
          read: highest(stored.read, watermark),
        })
        return outcome
      })
    },
  }
}

/** Tells the host, which keeps each message's status monotonic and informs CCM. */
export async function reportWatermark(
  ctx: Pick<PluginContext<unknown>, 'receipt'>,
  outcome: WatermarkOutcome,
): Promise<void> {
  for (const mid of outcome.delivered) {
    await ctx.receipt({ providerMessageId: mid, status: 'delivered' })
  }
  for (const mid of outcome.read) {
    await ctx.receipt({ providerMessageId: mid, status: 'read' })
  }
}
