import type { SqliteDb } from './sqlite.js'
import type { StateStore } from './state-store.js'

/** StateStore on the embedded SQLite database. Writes are synchronous, so atomic in-process. */
export function createSqliteStateStore(
  db: SqliteDb,
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
    async set(ns, key, value, ttlMs) {
      setStmt.run(ns, key, JSON.stringify(value), expiry(ttlMs))
    },
    async setIfAbsent(ns, key, value, ttlMs) {
      return (
        insertIfAbsent.run(ns, key, JSON.stringify(value), expiry(ttlMs), Date.now()).changes > 0
      )
    },
    async update<T>(
      ns: string,
      key: string,
      update: (current: T | undefined) => T | undefined,
      ttlMs?: number,
    ) {
      return db.transaction(() => {
        const current = read<T>(ns, key)
        const next = update(current)
        if (next === undefined || next === current) return current
        setStmt.run(ns, key, JSON.stringify(next), expiry(ttlMs))
        return next
      })()
    },
    async delete(ns, key) {
      deleteStmt.run(ns, key)
    },
    purgeExpired(now = Date.now()) {
      return purgeStmt.run(now).changes
    },
  }
}
