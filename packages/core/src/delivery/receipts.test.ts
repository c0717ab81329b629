import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type CimMessage, inboundMessage, text } from '@plugboard/sdk'
import type { JobInput, Pipeline } from '../pipeline/types.js'
import { openSqlite } from '../store/sqlite.js'
import { createSqliteStateStore } from '../store/sqlite-state-store.js'
import { createWriter } from '../store/writer.js'
import { createReceipts, type StatusChange } from './receipts.js'

function setUp(
  onStatus?: (change: StatusChange) => Promise<boolean | undefined> | boolean | undefined,
) {
  const db = openSqlite({ path: ':memory:' })
  const state = createSqliteStateStore(db, createWriter(db))
  const submitted: JobInput[] = []
  const pipeline = {
    async submit(input: JobInput) {
      submitted.push(input)
      return { status: 'accepted' as const, id: input.message.id }
    },
  } as unknown as Pipeline
  const receipts = createReceipts({ state, pipeline, ...(onStatus ? { onStatus } : {}) })
  return { receipts, submitted }
}

const outbound = (id: string): CimMessage =>
  inboundMessage({ id, serviceIdentifier: '+15550100', customerId: '+15550199', body: text('hi') })

test('onStatus sees every applied status change, with what a report needs', async () => {
  const changes: StatusChange[] = []
  const { receipts, submitted } = setUp((change) => {
    changes.push(change)
    return undefined
  })
  await receipts.recordSent('sms', outbound('m1'), 'prov-1')
  await receipts.apply('sms', { providerMessageId: 'prov-1', status: 'delivered' })
  await receipts.apply('sms', { providerMessageId: 'prov-1', status: 'sent' })
  assert.deepEqual(
    changes.map((c) => [
      c.messageId,
      c.status,
      c.providerMessageId,
      c.customerId,
      c.serviceIdentifier,
    ]),
    [
      ['m1', 'sent', 'prov-1', '+15550199', '+15550100'],
      ['m1', 'delivered', 'prov-1', '+15550199', '+15550100'],
    ],
    'the late "sent" moved nothing and was not observed',
  )
  assert.equal(submitted.length, 1, 'CCM is told of the delivery')
})

test('onStatus returning false keeps the change from CCM; a failing hook does not', async () => {
  const { receipts, submitted } = setUp((change) => change.messageId !== 'app-msg')
  await receipts.recordSent('sms', outbound('app-msg'), 'prov-a')
  await receipts.apply('sms', { providerMessageId: 'prov-a', status: 'delivered' })
  assert.equal(submitted.length, 0)

  const failing = setUp(() => {
    throw new Error('observer broke')
  })
  await failing.receipts.recordSent('sms', outbound('m2'), 'prov-b')
  const result = await failing.receipts.apply('sms', {
    providerMessageId: 'prov-b',
    status: 'delivered',
  })
  assert.equal(result.status, 'applied')
  assert.equal(failing.submitted.length, 1)
})
