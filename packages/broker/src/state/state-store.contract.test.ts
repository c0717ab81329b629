import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, describe, it } from 'node:test'
import {
  createSqliteStateStore,
  createWriter,
  isHostError,
  openSqlite,
  type StateStore,
} from '@plugboard/core'
import { createRedisStateStore } from './redis-state-store.js'

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

/** The same cases for every backend: a replica must not notice which store it runs on. */
function contract(name: string, open: () => Promise<StateStore>) {
  describe(`StateStore contract: ${name}`, () => {
    let store: StateStore
    const ns = () => `t-${randomUUID()}`

    it('opens', async () => {
      store = await open()
    })

    it('reads back what was set, as JSON, per namespace', async () => {
      const a = ns()
      const b = ns()
      await store.set(a, 'k', { n: 1, s: 'x', list: [1, 2] })
      assert.deepEqual(await store.get(a, 'k'), { n: 1, s: 'x', list: [1, 2] })
      assert.equal(await store.get(b, 'k'), undefined)
      await store.set(a, 'k', 'replaced')
      assert.equal(await store.get(a, 'k'), 'replaced')
    })

    it('keeps keys with separators and odd characters apart', async () => {
      const a = ns()
      await store.set(`${a}:x`, 'y', 1)
      await store.set(a, 'x:y', 2)
      await store.set(a, 'conn\u0000pid', 3)
      assert.equal(await store.get(`${a}:x`, 'y'), 1)
      assert.equal(await store.get(a, 'x:y'), 2)
      assert.equal(await store.get(a, 'conn\u0000pid'), 3)
    })

    it('forgets a value once its TTL ran out', async () => {
      const a = ns()
      await store.set(a, 'short', 1, 50)
      await store.set(a, 'long', 1, 60_000)
      await store.set(a, 'forever', 1)
      await until(async () => (await store.get(a, 'short')) === undefined, 'expiry')
      assert.equal(await store.get(a, 'long'), 1)
      assert.equal(await store.get(a, 'forever'), 1)
    })

    it('setIfAbsent sets once, and again after expiry', async () => {
      const a = ns()
      assert.equal(await store.setIfAbsent(a, 'k', 'first', 50), true)
      assert.equal(await store.setIfAbsent(a, 'k', 'second', 50), false)
      assert.equal(await store.get(a, 'k'), 'first')
      await until(() => store.setIfAbsent(a, 'k', 'third', 60_000), 'expiry of the first claim')
      assert.equal(await store.get(a, 'k'), 'third')
      assert.equal(await store.setIfAbsent(a, 'k', 'fourth'), false)
    })

    it('setIfAbsent lets exactly one of many concurrent callers win', async () => {
      const a = ns()
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.setIfAbsent(a, 'race', i, 60_000)),
      )
      assert.equal(results.filter(Boolean).length, 1)
    })

    it('update creates, replaces, and keeps the value when the function declines', async () => {
      const a = ns()
      assert.equal(await store.update<number>(a, 'n', (c) => (c ?? 0) + 1), 1)
      assert.equal(await store.update<number>(a, 'n', (c) => (c ?? 0) + 1), 2)
      assert.equal(await store.update<number>(a, 'n', () => undefined), 2)
      assert.equal(await store.get(a, 'n'), 2)
      assert.equal(await store.update<number>(a, 'absent', () => undefined), undefined)
      assert.equal(await store.get(a, 'absent'), undefined)
    })

    it('update is atomic under concurrency', async () => {
      const a = ns()
      await Promise.all(
        Array.from({ length: 40 }, () =>
          store.update<number[]>(a, 'list', (c) => [...(c ?? []), 1], 60_000),
        ),
      )
      assert.equal((await store.get<number[]>(a, 'list'))?.length, 40)
    })

    it('update applies the TTL it is given', async () => {
      const a = ns()
      await store.update<number>(a, 'n', () => 1, 50)
      await until(async () => (await store.get(a, 'n')) === undefined, 'expiry')
    })

    it('take reads and deletes in one step; only one concurrent taker gets the value', async () => {
      const a = ns()
      await store.set(a, 'k', { v: 1 })
      const taken = await Promise.all([store.take(a, 'k'), store.take(a, 'k'), store.take(a, 'k')])
      assert.deepEqual(
        taken.filter((t) => t !== undefined),
        [{ v: 1 }],
      )
      assert.equal(await store.get(a, 'k'), undefined)
      assert.equal(await store.take(a, 'missing'), undefined)
    })

    it('delete removes a key', async () => {
      const a = ns()
      await store.set(a, 'k', 1)
      await store.delete(a, 'k')
      assert.equal(await store.get(a, 'k'), undefined)
      await store.delete(a, 'never-there')
    })
  })
}

const closers: (() => Promise<void> | void)[] = []
after(async () => {
  for (const close of closers) await close()
})

contract('sqlite', async () => {
  const db = openSqlite({ path: ':memory:' })
  closers.push(() => {
    db.close()
  })
  return createSqliteStateStore(db, createWriter(db))
})

contract('redis', async () => {
  const store = createRedisStateStore({ url: REDIS_URL, prefix: `plugboard-test:${randomUUID()}:` })
  closers.push(() => store.close())
  await store.connect()
  return store
})

describe('Redis state store', () => {
  it('fails with STATE_UNAVAILABLE, naming the fix, when Redis does not answer', async () => {
    const store = createRedisStateStore({ url: 'redis://127.0.0.1:1', commandTimeoutMs: 300 })
    try {
      await assert.rejects(store.connect(), (error: unknown) => {
        assert.ok(isHostError(error, 'STATE_UNAVAILABLE'))
        assert.match(error.fix, /Redis/)
        return true
      })
    } finally {
      await store.close()
    }
  })
})
