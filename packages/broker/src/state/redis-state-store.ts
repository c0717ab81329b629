import { HostError, type StateStore } from '@plugboard/core'
import { Redis } from 'ioredis'

export interface RedisStateStoreOptions {
  /** redis://[user:password@]host:6379[/db] or rediss://… */
  url: string
  /** Prepended to every key, so several deployments can share one Redis. */
  prefix?: string
  /** How long a command may wait for a reconnecting Redis before it fails. */
  commandTimeoutMs?: number
  /** Optimistic `update` attempts under contention before giving up. */
  maxUpdateAttempts?: number
}

export interface RedisStateStore extends StateStore {
  /** Resolves once Redis answers; rejects with STATE_UNAVAILABLE when it does not. */
  connect(): Promise<void>
  readonly connected: boolean
  close(): Promise<void>
}

// Compare-and-set: writes ARGV[3] only if the key still holds what the caller read (ARGV[2]),
// or is still absent (ARGV[1] = '0'). `update` runs the caller's function in Node, so the
// read-modify-write is made atomic by retrying on a lost race instead of by WATCH, which would
// need a connection per caller.
const CAS = `
local cur = redis.call('GET', KEYS[1])
if ARGV[1] == '0' then
  if cur then return 0 end
elseif cur ~= ARGV[2] then
  return 0
end
if ARGV[4] ~= '' then
  redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
else
  redis.call('SET', KEYS[1], ARGV[3])
end
return 1`

/**
 * The StateStore contract on Redis, for replicas that share state: de-duplication keys, provider
 * id maps, sent markers and statuses written by one replica are seen by all. Expiry is Redis's
 * own (PX), `setIfAbsent` is SET NX, `take` is GETDEL, `update` is a compare-and-set loop.
 */
export function createRedisStateStore(options: RedisStateStoreOptions): RedisStateStore {
  const prefix = options.prefix ?? 'plugboard:'
  const maxAttempts = options.maxUpdateAttempts ?? 100
  const redis = new Redis(options.url, {
    lazyConnect: true,
    // Fail a command after a short wait rather than queueing it for the whole outage: the
    // pipeline retries, and a webhook caller gets a 503 it can retry.
    maxRetriesPerRequest: 2,
    commandTimeout: options.commandTimeoutMs ?? 5_000,
    connectTimeout: options.commandTimeoutMs ?? 5_000,
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 6), 5_000),
    // Commands issued in the same tick (many messages in flight) share one write to the socket.
    enableAutoPipelining: true,
  })
  // Sent as EVALSHA once Redis knows the script, not as its text on every update.
  redis.defineCommand('plugboardCas', { lua: CAS, numberOfKeys: 1 })
  // Errors surface on the commands; the client reconnects by itself.
  redis.on('error', () => undefined)
  const cas = (key: string, expected: string | null, next: string, ttlMs?: number) =>
    (redis as unknown as { plugboardCas(...args: string[]): Promise<number> }).plugboardCas(
      key,
      expected === null ? '0' : '1',
      expected ?? '',
      next,
      ttlMs === undefined ? '' : String(ttl(ttlMs)),
    )

  const k = (ns: string, key: string) => `${prefix}${encodeURIComponent(ns)}:${key}`

  async function run<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (cause) {
      throw new HostError('STATE_UNAVAILABLE', `Redis ${what} failed: ${messageOf(cause)}`, {
        cause,
      })
    }
  }

  return {
    async connect() {
      await run('connect', async () => {
        if (redis.status === 'wait') await redis.connect()
        await redis.ping()
      })
    },
    get connected() {
      return redis.status === 'ready'
    },
    async close() {
      if (redis.status === 'end') return
      await redis.quit().catch(() => redis.disconnect())
    },

    async get<T>(ns: string, key: string) {
      const raw = await run('GET', () => redis.get(k(ns, key)))
      return parse<T>(raw)
    },
    async set(ns, key, value, ttlMs) {
      const json = JSON.stringify(value)
      await run('SET', () =>
        ttlMs === undefined
          ? redis.set(k(ns, key), json)
          : redis.set(k(ns, key), json, 'PX', ttl(ttlMs)),
      )
    },
    async setIfAbsent(ns, key, value, ttlMs) {
      const json = JSON.stringify(value)
      const reply = await run('SET NX', () =>
        ttlMs === undefined
          ? redis.set(k(ns, key), json, 'NX')
          : redis.set(k(ns, key), json, 'PX', ttl(ttlMs), 'NX'),
      )
      return reply === 'OK'
    },
    async update<T>(
      ns: string,
      key: string,
      update: (current: T | undefined) => T | undefined,
      ttlMs?: number,
    ) {
      const full = k(ns, key)
      for (let attempt = 0; attempt < maxAttempts; attempt++) {
        const raw = await run('GET', () => redis.get(full))
        const current = parse<T>(raw)
        const next = update(current)
        if (next === undefined || next === current) return current
        const written = await run('update', () => cas(full, raw, JSON.stringify(next), ttlMs))
        if (written === 1) return next
      }
      throw new HostError(
        'STATE_UNAVAILABLE',
        `Redis update of ${ns}/${key} lost ${maxAttempts} races in a row`,
      )
    },
    async delete(ns, key) {
      await run('DEL', () => redis.del(k(ns, key)))
    },
    async take<T>(ns: string, key: string) {
      const raw = await run('GETDEL', () => redis.getdel(k(ns, key)))
      return parse<T>(raw)
    },
  }
}

function parse<T>(raw: string | null): T | undefined {
  return raw === null ? undefined : (JSON.parse(raw) as T)
}

// Redis refuses PX 0; a TTL that has already run out is the shortest one it accepts.
function ttl(ms: number): number {
  return Math.max(1, Math.ceil(ms))
}

// ioredis errors can quote the command line; keep only the reason.
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]!.slice(0, 200) : String(error)
}
