import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { KeyValueStore, ReceiptUpdate } from '@plugboard/sdk'
import { recordingLogger, tick } from '../../test/helpers.js'
import { createManualClock } from '../../test/manual-clock.js'
import type { DeliveryReceipt } from './parse.js'
import { createReceiptTracker } from './tracker.js'

function memoryStore(): KeyValueStore & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>()
  return {
    data,
    get: async <T>(key: string) => data.get(key) as T | undefined,
    set: async (key, value) => void data.set(key, value),
    delete: async (key) => void data.delete(key),
  }
}

function setUp(options: { waitMs?: number; store?: KeyValueStore } = {}) {
  const store = options.store ?? memoryStore()
  const reports: ReceiptUpdate[] = []
  const clock = createManualClock()
  const tracker = createReceiptTracker({
    store,
    report: async (update) => void reports.push(update),
    log: recordingLogger(),
    ttlMs: 3600_000,
    waitMs: options.waitMs ?? 0,
    clock,
  })
  return { tracker, reports, store, clock }
}

const receipt = (
  messageId: string,
  state: DeliveryReceipt['state'],
  error?: string,
): DeliveryReceipt => ({
  messageId,
  state,
  source: 'tlv',
  ...(error ? { error } : {}),
})

describe('receipt tracker', () => {
  it('reports a single-part message under the id send returned', async () => {
    const { tracker, reports } = setUp()
    const sent = { messageId: 'cim-1', smscIds: ['0001E240'] }
    await tracker.recordSent(sent)
    assert.equal(tracker.providerMessageId(sent), '0001E240')
    assert.equal(await tracker.apply(receipt('0001E240', 'DELIVRD')), 'reported')
    assert.deepEqual(reports, [{ providerMessageId: '0001E240', status: 'delivered' }])
  })

  it('matches a receipt id given in decimal (or with other zeros and case)', async () => {
    const { tracker, reports } = setUp()
    await tracker.recordSent({ messageId: 'cim-1', smscIds: ['0001E240'] })
    await tracker.recordSent({ messageId: 'cim-2', smscIds: ['ff'] })
    await tracker.apply(receipt('123456', 'DELIVRD'))
    await tracker.apply(receipt('00FF', 'UNDELIV', '034'))
    assert.deepEqual(reports, [
      { providerMessageId: '0001E240', status: 'delivered' },
      {
        providerMessageId: 'ff',
        status: 'failed',
        reasonCode: '034',
        reason: 'stat UNDELIV, err 034',
      },
    ])
  })

  it('reports a multipart message delivered once every part is, in any order', async () => {
    const { tracker, reports } = setUp()
    await tracker.recordSent({ messageId: 'cim-1', smscIds: ['a1', 'a2', 'a3'] })
    assert.equal(await tracker.apply(receipt('a3', 'DELIVRD')), 'pending-parts')
    assert.equal(await tracker.apply(receipt('a1', 'DELIVRD')), 'pending-parts')
    assert.equal(reports.length, 0)
    assert.equal(await tracker.apply(receipt('a2', 'DELIVRD')), 'reported')
    assert.deepEqual(reports, [{ providerMessageId: 'a1', status: 'delivered' }])
  })

  it('reports a multipart message failed as soon as one part fails', async () => {
    const { tracker, reports } = setUp()
    await tracker.recordSent({ messageId: 'cim-1', smscIds: ['b1', 'b2'] })
    await tracker.apply(receipt('b2', 'EXPIRED'))
    assert.deepEqual(reports, [
      {
        providerMessageId: 'b1',
        status: 'failed',
        reasonCode: 'EXPIRED',
        reason: 'part 2 of 2 failed (EXPIRED)',
      },
    ])
    // The other part's later success changes nothing for the message: failed stays failed.
    await tracker.apply(receipt('b1', 'DELIVRD'))
    assert.equal(reports.at(-1)?.status, 'failed')
  })

  it('never moves a part back: a late intermediate receipt after the final one is ignored', async () => {
    const { tracker, reports, store } = setUp()
    await tracker.recordSent({ messageId: 'cim-1', smscIds: ['c1', 'c2'] })
    await tracker.apply(receipt('c1', 'DELIVRD'))
    assert.equal(await tracker.apply(receipt('c1', 'ENROUTE')), 'ignored')
    assert.deepEqual(await store.get('dlr:cim-1:0'), { s: 'delivered' })
    await tracker.apply(receipt('c2', 'DELIVRD'))
    assert.deepEqual(reports, [{ providerMessageId: 'c1', status: 'delivered' }])
  })

  it('resolves a receipt that overtook the record of its submit', async () => {
    const { tracker, reports, clock } = setUp({ waitMs: 2_000 })
    const applied = tracker.apply(receipt('d1', 'DELIVRD'))
    await tick()
    clock.advance(100)
    await tracker.recordSent({ messageId: 'cim-1', smscIds: ['d1'] })
    for (let i = 0; i < 10 && reports.length === 0; i++) {
      clock.advance(200)
      await tick()
    }
    assert.equal(await applied, 'reported')
    assert.deepEqual(reports, [{ providerMessageId: 'd1', status: 'delivered' }])
  })

  it('gives up on an id it never sent after the wait', async () => {
    const { tracker, reports, clock } = setUp({ waitMs: 1_000 })
    const applied = tracker.apply(receipt('nope', 'DELIVRD'))
    for (let i = 0; i < 20; i++) {
      await tick()
      clock.advance(100)
    }
    assert.equal(await applied, 'unknown')
    assert.equal(reports.length, 0)
  })

  it('resolves on another replica: the records live in the shared store only', async () => {
    const shared = memoryStore()
    const a = setUp({ store: shared })
    const b = setUp({ store: shared })
    await a.tracker.recordSent({ messageId: 'cim-9', smscIds: ['e1', 'e2'] })
    await a.tracker.apply(receipt('e1', 'DELIVRD'))
    await b.tracker.apply(receipt('e2', 'DELIVRD'))
    assert.deepEqual(b.reports, [{ providerMessageId: 'e1', status: 'delivered' }])
  })
})
