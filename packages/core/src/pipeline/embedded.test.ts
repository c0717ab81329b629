import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { type CimMessage, inboundMessage, PluginError, text } from '@plugboard/sdk'
import { openSqlite } from '../store/sqlite.js'
import { createEmbeddedPipeline } from './embedded.js'
import type { Job, PipelineHandlers } from './types.js'

const fast = { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 4, maxAuthAttempts: 4 }
const msg = (customer: string, body: string): CimMessage =>
  inboundMessage({ serviceIdentifier: 'svc', customerId: customer, body: text(body) })

function collector(fail: (job: Job) => Error | undefined = () => undefined) {
  const delivered: string[] = []
  const dead: { id: string; reason: string }[] = []
  let notify: () => void = () => undefined
  const handlers: PipelineHandlers = {
    async deliver(job) {
      const error = fail(job)
      if (error) throw error
      delivered.push(job.message.body.markdownText as string)
      notify()
    },
    onDead(job, reason) {
      dead.push({ id: job.id, reason })
      notify()
    },
  }
  const until = (predicate: () => boolean, timeoutMs = 5000) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out; delivered=${delivered.join(',')} dead=${dead.length}`)),
        timeoutMs,
      )
      const check = () => {
        if (predicate()) {
          clearTimeout(timer)
          resolve()
        }
      }
      notify = check
      check()
    })
  return { handlers, delivered, dead, until }
}

test('submit resolves once durable and de-duplicates by key', async () => {
  const db = openSqlite({ path: ':memory:' })
  const pipeline = createEmbeddedPipeline({ db, retry: fast })
  const c = collector()
  await pipeline.start(c.handlers)
  const first = await pipeline.submit({
    direction: 'inbound',
    connectorId: 'c1',
    message: msg('a', 'one'),
    dedupeKey: 'c1:p1',
  })
  const again = await pipeline.submit({
    direction: 'inbound',
    connectorId: 'c1',
    message: msg('a', 'one again'),
    dedupeKey: 'c1:p1',
  })
  assert.equal(first.status, 'accepted')
  assert.deepEqual(again, { status: 'duplicate', id: first.id })
  await c.until(() => c.delivered.length === 1)
  assert.deepEqual(c.delivered, ['one'])
  await pipeline.close()
})

test('keeps per-conversation order across retries while other conversations flow', async () => {
  const db = openSqlite({ path: ':memory:' })
  const pipeline = createEmbeddedPipeline({ db, retry: fast })
  let failuresLeft = 3
  const c = collector((job) => {
    if (job.message.body.markdownText === 'a1' && failuresLeft-- > 0)
      return PluginError.retryable('DOWN', 'down')
    return undefined
  })
  await pipeline.start(c.handlers)
  for (const body of ['a1', 'a2', 'a3'])
    await pipeline.submit({ direction: 'inbound', connectorId: 'c', message: msg('a', body) })
  await pipeline.submit({ direction: 'inbound', connectorId: 'c', message: msg('b', 'b1') })
  await c.until(() => c.delivered.length === 4)
  assert.deepEqual(
    c.delivered.filter((d) => d.startsWith('a')),
    ['a1', 'a2', 'a3'],
  )
  assert.ok(
    c.delivered.indexOf('b1') < c.delivered.indexOf('a1'),
    'b1 is not held up by a1 retrying',
  )
  await pipeline.close()
})

test('dead-letters terminal failures and spent budgets with the reason, and replays them', async () => {
  const db = openSqlite({ path: ':memory:' })
  const pipeline = createEmbeddedPipeline({ db, retry: fast })
  let broken = true
  const c = collector((job) => {
    if (!broken) return undefined
    if (job.message.body.markdownText === 'terminal')
      return PluginError.terminal('INVALID_NUMBER', 'no such number')
    return PluginError.retryable('DOWN', 'provider down')
  })
  await pipeline.start(c.handlers)
  await pipeline.submit({ direction: 'outbound', connectorId: 'c', message: msg('x', 'terminal') })
  await pipeline.submit({ direction: 'outbound', connectorId: 'c', message: msg('y', 'retry') })
  await c.until(() => c.dead.length === 2)
  const letters = await pipeline.listDead()
  assert.equal(letters.length, 2)
  const reasons = letters.map((l) => l.reason).sort()
  assert.match(reasons[0]!, /^gave up after 4 attempts: DOWN provider down/)
  assert.match(reasons[1]!, /^terminal: INVALID_NUMBER no such number/)
  assert.deepEqual(await pipeline.stats(), { ready: 0, dead: 2, inFlight: 0 })

  broken = false
  assert.equal(await pipeline.replay(), 2)
  await c.until(() => c.delivered.length === 2)
  assert.deepEqual(c.delivered.sort(), ['retry', 'terminal'])
  assert.equal((await pipeline.stats()).dead, 0)
  await pipeline.close()
})

test('work accepted before a restart is delivered after it, exactly once', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'pipeline-')), 'store.db')
  {
    const db = openSqlite({ path })
    const pipeline = createEmbeddedPipeline({ db, retry: fast })
    const c = collector(() => PluginError.retryable('DOWN', 'center down'))
    await pipeline.start(c.handlers)
    for (let i = 0; i < 20; i++)
      await pipeline.submit({
        direction: 'inbound',
        connectorId: 'c',
        message: msg(`k${i % 3}`, `m${i}`),
      })
    await pipeline.close()
    db.close()
  }
  const db = openSqlite({ path })
  const pipeline = createEmbeddedPipeline({ db, retry: fast })
  const c = collector()
  await pipeline.start(c.handlers)
  await c.until(() => c.delivered.length === 20)
  assert.deepEqual([...c.delivered].sort(), Array.from({ length: 20 }, (_, i) => `m${i}`).sort())
  for (const k of [0, 1, 2]) {
    const mine = c.delivered.filter((d) => Number(d.slice(1)) % 3 === k)
    assert.deepEqual(
      mine,
      [...mine].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1))),
      `order of conversation k${k}`,
    )
  }
  await pipeline.close()
})

test('refuses new work while draining and waits for in-flight deliveries', async () => {
  const db = openSqlite({ path: ':memory:' })
  const pipeline = createEmbeddedPipeline({ db, retry: fast })
  let release: () => void = () => undefined
  const gate = new Promise<void>((r) => {
    release = r
  })
  let started = false
  await pipeline.start({
    async deliver() {
      started = true
      await gate
    },
  })
  await pipeline.submit({ direction: 'inbound', connectorId: 'c', message: msg('a', 'slow') })
  while (!started) await new Promise((r) => setImmediate(r))
  const draining = pipeline.drain(5000)
  await assert.rejects(
    pipeline.submit({ direction: 'inbound', connectorId: 'c', message: msg('a', 'late') }),
    /not accepting/,
  )
  release()
  assert.equal(await draining, true)
  await pipeline.close()
})

test('refuses new messages with QUEUE_FULL while the backlog is at its limit', async () => {
  const db = openSqlite({ path: ':memory:' })
  const pipeline = createEmbeddedPipeline({ db, retry: fast, maxQueued: 3 })
  let open = false
  const c = collector(() => (open ? undefined : PluginError.retryable('DOWN', 'down')))
  await pipeline.start(c.handlers)
  for (let i = 0; i < 3; i++)
    await pipeline.submit({ direction: 'inbound', connectorId: 'c', message: msg('a', `q${i}`) })
  await assert.rejects(
    pipeline.submit({ direction: 'inbound', connectorId: 'c', message: msg('a', 'too many') }),
    (e: Error & { code?: string }) => e.code === 'QUEUE_FULL',
  )
  open = true
  await c.until(() => c.delivered.length === 3)
  const after = await pipeline.submit({
    direction: 'inbound',
    connectorId: 'c',
    message: msg('a', 'room again'),
  })
  assert.equal(after.status, 'accepted')
  await pipeline.close()
})

test('a connector rate limit spaces its deliveries out', async () => {
  const db = openSqlite({ path: ':memory:' })
  const pipeline = createEmbeddedPipeline({ db, retry: fast })
  const c = collector()
  const times: number[] = []
  await pipeline.start({
    ...c.handlers,
    async deliver(job) {
      times.push(Date.now())
      await c.handlers.deliver(job)
    },
  })
  pipeline.configure('slow', 'outbound', { ratePerSecond: 20 })
  const start = Date.now()
  for (let i = 0; i < 30; i++)
    await pipeline.submit({
      direction: 'outbound',
      connectorId: 'slow',
      message: msg(`k${i}`, `r${i}`),
    })
  await c.until(() => c.delivered.length === 30, 10_000)
  // A burst of 20 goes at once, the other 10 at 20/s: at least ~0.5 s in all.
  assert.ok(Date.now() - start >= 400, `took ${Date.now() - start} ms`)
  await pipeline.close()
})
