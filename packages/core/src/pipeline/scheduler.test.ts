import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type Entry, Scheduler } from './scheduler.js'

const entry = (seq: number, nextAt = 0): Entry => ({ seq, id: `j${seq}`, nextAt, attempts: 0 })

test('runs one job per key at a time, in order, and keys in parallel', () => {
  const started: string[] = []
  const s = new Scheduler((_lane, key, e) => started.push(`${key}:${e.seq}`), { concurrency: 10 })
  s.add('l', 'a', entry(1))
  s.add('l', 'a', entry(2))
  s.add('l', 'b', entry(3))
  assert.deepEqual(started, ['a:1', 'b:3'])
  s.complete('l', 'a')
  assert.deepEqual(started, ['a:1', 'b:3', 'a:2'])
})

test('respects the lane concurrency', () => {
  const started: number[] = []
  const s = new Scheduler((_l, _k, e) => started.push(e.seq), { concurrency: 2 })
  for (let i = 1; i <= 5; i++) s.add('l', `k${i}`, entry(i))
  assert.deepEqual(started, [1, 2])
  s.complete('l', 'k1')
  assert.deepEqual(started, [1, 2, 3])
  assert.equal(s.active, 2)
})

test('a rescheduled head keeps blocking its key until it is due', async () => {
  const started: number[] = []
  const s = new Scheduler((_l, _k, e) => started.push(e.seq), { concurrency: 10 })
  s.add('l', 'a', entry(1))
  s.add('l', 'a', entry(2))
  s.reschedule('l', 'a', Date.now() + 30)
  assert.deepEqual(started, [1])
  await new Promise((r) => setTimeout(r, 60))
  assert.deepEqual(started, [1, 1], 'the failed head runs again before the next message of the key')
  s.complete('l', 'a')
  assert.deepEqual(started, [1, 1, 2])
})

test('pause holds a lane without losing its jobs; dueNow wakes waiting heads', () => {
  const started: number[] = []
  const s = new Scheduler((_l, _k, e) => started.push(e.seq), { concurrency: 10 })
  s.pause('l')
  s.add('l', 'a', entry(1))
  assert.deepEqual(started, [])
  s.resume('l')
  assert.deepEqual(started, [1])
  s.reschedule('l', 'a', Date.now() + 60_000)
  s.dueNow('l')
  assert.deepEqual(started, [1, 1])
})

test('idle resolves once in-flight work completes', async () => {
  const s = new Scheduler(() => undefined, { concurrency: 10 })
  s.add('l', 'a', entry(1))
  let idle = false
  const waiting = s.idle().then(() => {
    idle = true
  })
  await Promise.resolve()
  assert.equal(idle, false)
  s.complete('l', 'a')
  await waiting
  assert.equal(idle, true)
})

test('dropWaiting forgets the waiting entries of a key and keeps a running head', async () => {
  const started: number[] = []
  const s = new Scheduler((_l, _k, e) => started.push(e.seq), { concurrency: 10 })
  s.add('l', 'a', entry(1))
  s.add('l', 'a', entry(2))
  s.add('l', 'a', entry(3))
  s.add('l', 'b', entry(4, Date.now() + 20))
  assert.deepEqual(
    s.dropWaiting('l', 'a').map((e) => e.seq),
    [2, 3],
  )
  assert.deepEqual(
    s.dropWaiting('l', 'b').map((e) => e.seq),
    [4],
  )
  s.complete('l', 'a')
  await new Promise((r) => setTimeout(r, 40))
  assert.deepEqual(started, [1], 'nothing dropped runs, not even after its timer was due')
  s.add('l', 'b', entry(5))
  assert.deepEqual(started, [1, 5], 'a dropped key takes new entries')
  assert.deepEqual(s.dropWaiting('l', 'none'), [])
})
