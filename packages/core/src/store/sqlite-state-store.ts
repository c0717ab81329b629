import type { SqliteDb } from './sqlite.js'
import type { StateStore } from './state-store.js'
import type { Writer } from './writer.js'

/**
 * StateStore on the embedded SQLite database. Reads are direct; writes share the store's group
 * commit, so a write has resolved only once it is durable.
 */
export function createSqliteStateStore(
  db: SqliteDb,
  writer: Writer,
): StateStore & { purgeExpired(now?: number): number } {
  const getStmt = db.prepare<[string, string, number], { value: string }>(
    'SELECT value FROM kv WHERE ns = ? AND key = ? AND (expires_at IS NULL OR expires_at > ?)',
  )
  const setStmt = db.prepare<[string, string, string, number | null]>(
    'INSERT INTO kv (ns, key, value, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT(ns, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at',
  )
  const insertIfAbsent = db.prepare<[string, string, string, number | null, number]>(
    `INSERT INTO kv (ns, key, value, expires_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(ns, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
     WHERE kv.expires_at IS NOT NULL AND kv.expires_at <= ?`,
  )
  const deleteStmt = db.prepare<[string, string]>('DELETE FROM kv WHERE ns = ? AND key = ?')
  const purgeStmt = db.prepare<[number]>(
    'DELETE FROM kv WHERE expires_at IS NOT NULL AND expires_at <= ?',
  )
  const expiry = (ttlMs?: number) => (ttlMs === undefined ? null : Date.now() + ttlMs)

  const read = <T>(ns: string, key: string): T | undefined => {
    const row = getStmt.get(ns, key, Date.now())
    return row ? (JSON.parse(row.value) as T) : undefined
  }

  return {
    async get<T>(ns: string, key: string) {
      return read<T>(ns, key)
    },
    set(ns, key, value, ttlMs) {
      const json = JSON.stringify(value)
      return writer.write(() => {
        setStmt.run(ns, key, json, expiry(ttlMs))
      })
    },
    setIfAbsent(ns, key, value, ttlMs) {
      const json = JSON.stringify(value)
      return writer.write(
        () => insertIfAbsent.run(ns, key, json, expiry(ttlMs), Date.now()).changes > 0,
      )
    },
    update<T>(
      ns: string,
      key: string,
      update: (current: T | undefined) => T | undefined,
      ttlMs?: number,
    ) {
      // Runs inside the batch's transaction, so the read and the write are one atomic step.
      return writer.write(() => {
        const current = read<T>(ns, key)
        const next = update(current)
        if (next === undefined || next === current) return current
        setStmt.run(ns, key, JSON.stringify(next), expiry(ttlMs))
        return next
      })
    },
    delete(ns, key) {
      return writer.write(() => {
        deleteStmt.run(ns, key)
      })
    },
    take<T>(ns: string, key: string) {
      return writer.write(() => {
        const value = read<T>(ns, key)
        if (value !== undefined) deleteStmt.run(ns, key)
        return value
      })
    },
    purgeExpired(now = Date.now()) {
      return purgeStmt.run(now).changes
    },
  }
}
