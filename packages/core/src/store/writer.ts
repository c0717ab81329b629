import { HostError } from '../errors.js'
import type { SqliteDb } from './sqlite.js'

/**
 * Group commit for the embedded store. Writes queued in one turn of the event loop run in one
 * transaction at the next `setImmediate`, and each promise resolves once that transaction has
 * committed. One commit per batch instead of one per write is what keeps a durable write per
 * message affordable: SQLite's cost is per transaction, not per row.
 */
export interface Writer {
  write<T>(fn: () => T): Promise<T>
  /** Commits whatever is queued now (shutdown). */
  flush(): void
}

interface Pending {
  fn: () => unknown
  resolve(value: unknown): void
  reject(error: unknown): void
}

export function createWriter(db: SqliteDb): Writer {
  let queue: Pending[] = []
  let scheduled = false
  const commit = db.transaction((items: Pending[]) => items.map((item) => item.fn()))

  function flush() {
    scheduled = false
    const items = queue
    queue = []
    if (items.length === 0) return
    let results: unknown[]
    try {
      results = commit(items)
    } catch (cause) {
      const error = new HostError('STORE_FAILED', 'could not commit to the store', { cause })
      for (const item of items) item.reject(error)
      return
    }
    for (let i = 0; i < items.length; i++) items[i]!.resolve(results[i])
  }

  return {
    write<T>(fn: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ fn, resolve: resolve as (v: unknown) => void, reject })
        if (!scheduled) {
          scheduled = true
          setImmediate(flush)
        }
      })
    },
    flush,
  }
}
