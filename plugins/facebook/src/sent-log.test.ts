import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { KeyValueStore } from '@plugboard/sdk'
import { createKeyedLock } from './keyed-lock.js'
import { createSentLog, type WatermarkOutcome } from './sent-log.js'

function memoryStore(): KeyValueStore & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>()
  return {
    data,
    get: async <T>(key: string) => structuredClone(data.get(key)) as T | undefined,
    set: async (key, value) => void data.set(key, structuredClone(value)),
    delete: async (key) => void data.delete(key),
  }
}

const noop = async () => undefined
const P = '111'
const U = '999'

function entriesOf(store: { data: Map<string, unknown> }): string[] {
  const stored = store.data.get(`sent:${P}:${U}`) as { entries: Array<{ mid: string }> }
  return stored.entries.map((e) => e.mid)
}

async function logWith(...entries: Array<[string, number]>) {
  const store = memoryStore()
  const log = createSentLog(store, createKeyedLock(), { now: () => 10_000 })
  for (const [mid, at] of entries) await log.record(P, U, { mid, at }, noop)
  const reports: WatermarkOutcome[] = []
  const report = async (o: WatermarkOutcome) => {
    reports.push(o)
  }
  return { store, log, reports, report }
}

describe('sent log: watermarks → receipts', () => {
  it('a delivery watermark covers every message sent at or before it, once', async () => {
    const { log, report, reports } = await logWith(['m1', 1000], ['m2', 2000], ['m3', 3000])
    assert.deepEqual(await log.delivery(P, U, 2000, [], report), {
      delivered: ['m1', 'm2'],
      read: [],
    })
    assert.deepEqual(await log.delivery(P, U, 2500, [], report), { delivered: [], read: [] })
    assert.deepEqual(await log.delivery(P, U, 3000, [], report), { delivered: ['m3'], read: [] })
    assert.equal(reports.length, 2, 'nothing reported when nothing is new')
  })

  it('listed mids count even after the watermark, and unknown listed mids are passed on', async () => {
    const { log, report } = await logWith(['m1', 1000], ['m2', 5000])
    assert.deepEqual(await log.delivery(P, U, 1000, ['m2', 'm-old'], report), {
      delivered: ['m1', 'm2', 'm-old'],
      read: [],
    })
  })

  it('a read watermark reports the undelivered as delivered, all covered as read, then forgets them', async () => {
    const { log, report, store } = await logWith(['m1', 1000], ['m2', 2000], ['m3', 3000])
    await log.delivery(P, U, 1000, [], report)
    assert.deepEqual(await log.read(P, U, 2000, report), { delivered: ['m2'], read: ['m1', 'm2'] })
    assert.deepEqual(await log.read(P, U, 2000, report), { delivered: [], read: [] })
    assert.deepEqual(entriesOf(store), ['m3'])
  })

  it('a failing report leaves the log as it was, so a retried webhook reports again', async () => {
    const { log, report } = await logWith(['m1', 1000])
    await assert.rejects(
      log.delivery(P, U, 1000, [], async () => {
        throw new Error('host store down')
      }),
      /host store down/,
    )
    assert.deepEqual(await log.delivery(P, U, 1000, [], report), { delivered: ['m1'], read: [] })
  })

  it('keeps customers apart and drops entries past retention or count', async () => {
    const store = memoryStore()
    let now = 10_000
    const log = createSentLog(store, createKeyedLock(), {
      now: () => now,
      retentionMs: 5_000,
      maxEntries: 2,
    })
    await log.record(P, U, { mid: 'a', at: 6_000 }, noop)
    await log.record(P, U, { mid: 'b', at: 7_000 }, noop)
    await log.record(P, U, { mid: 'c', at: 8_000 }, noop)
    await log.record(P, 'other', { mid: 'x', at: 8_000 }, noop)
    assert.deepEqual(entriesOf(store), ['b', 'c'])
    now = 12_500
    await log.record(P, U, { mid: 'd', at: 12_500 }, noop)
    assert.deepEqual(entriesOf(store), ['c', 'd'])
    assert.deepEqual((await log.read(P, 'other', 9_000, noop)).read, ['x'])
  })

  it('a watermark that arrives before the send is recorded still covers it', async () => {
    const { log, report, reports } = await logWith(['m1', 1000])
    await log.delivery(P, U, 2500, [], report)
    assert.deepEqual(await log.record(P, U, { mid: 'm2', at: 2000 }, report), {
      delivered: ['m2'],
      read: [],
    })
    await log.read(P, U, 3500, report)
    assert.deepEqual(await log.record(P, U, { mid: 'm3', at: 3000 }, report), {
      delivered: ['m3'],
      read: ['m3'],
    })
    assert.deepEqual(await log.record(P, U, { mid: 'm4', at: 4000 }, report), {
      delivered: [],
      read: [],
    })
    assert.deepEqual(
      reports.map((r) => [r.delivered, r.read]),
      [
        [['m1'], []],
        [['m2'], []],
        [[], ['m1', 'm2']],
        [['m3'], ['m3']],
      ],
    )
  })

  it('concurrent records of one customer are all kept', async () => {
    const { log, store } = await logWith()
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => log.record(P, U, { mid: `m${i}`, at: 1000 + i }, noop)),
    )
    assert.equal(entriesOf(store).length, 20)
  })
})
