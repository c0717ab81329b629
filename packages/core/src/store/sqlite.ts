import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { HostError } from '../errors.js'

export type SqliteDb = Database.Database

export interface OpenOptions {
  /** File path, or ':memory:' for a throw-away store. */
  path: string
  /**
   * `normal` survives a crash of the process (kill -9): every commit is in the OS before we
   * acknowledge. `full` also survives a power loss, at the cost of an fsync per commit batch.
   */
  durability?: 'normal' | 'full'
}

const MIGRATIONS = [
  `CREATE TABLE jobs (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     direction TEXT NOT NULL,
     connector_id TEXT NOT NULL,
     order_key TEXT NOT NULL,
     message TEXT NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0,
     next_at INTEGER NOT NULL,
     created_at INTEGER NOT NULL,
     state TEXT NOT NULL DEFAULT 'ready',
     last_error TEXT,
     dead_at INTEGER
   );
   CREATE INDEX jobs_state_seq ON jobs(state, seq);
   CREATE TABLE kv (
     ns TEXT NOT NULL,
     key TEXT NOT NULL,
     value TEXT NOT NULL,
     expires_at INTEGER,
     PRIMARY KEY (ns, key)
   ) WITHOUT ROWID;
   CREATE INDEX kv_expiry ON kv(expires_at) WHERE expires_at IS NOT NULL;`,
]

/** Opens (and migrates) the embedded SQLite store. */
export function openSqlite(options: OpenOptions): SqliteDb {
  let db: SqliteDb
  try {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true })
    db = new Database(options.path)
  } catch (cause) {
    throw new HostError('STORE_FAILED', `cannot open the store at ${options.path}`, { cause })
  }
  db.pragma('journal_mode = WAL')
  db.pragma(`synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`)
  db.pragma('busy_timeout = 5000')
  const version = db.pragma('user_version', { simple: true }) as number
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!)
      db.pragma(`user_version = ${v + 1}`)
    })()
  }
  return db
}
