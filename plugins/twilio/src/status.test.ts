import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ReceiptUpdate } from '@plugboard/sdk'
import { setUpTwilio } from '../test/context.js'
import { STATUS } from './fixtures/webhooks.js'
import { receiptStatus } from './status.js'

describe('receiptStatus', () => {
  const table: Array<[string, string | undefined]> = [
    ['accepted', 'queued'],
    ['scheduled', 'queued'],
    ['queued', 'queued'],
    ['sending', 'queued'],
    ['sent', 'sent'],
    ['partially_delivered', 'sent'],
    ['delivered', 'delivered'],
    ['read', 'read'],
    ['undelivered', 'failed'],
    ['failed', 'failed'],
    ['canceled', 'failed'],
    ['receiving', undefined],
    ['received', undefined],
    ['DELIVERED', 'delivered'],
    ['something-new', undefined],
  ]
  for (const [twilioStatus, expected] of table) {
    it(`${twilioStatus} → ${expected ?? 'ignored'}`, () => {
      assert.equal(receiptStatus(twilioStatus), expected)
    })
  }
})

describe('status callbacks (recorded payloads)', () => {
  const table: Array<[keyof typeof STATUS, ReceiptUpdate | undefined]> = [
    ['smsSent', { providerMessageId: 'SM5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e', status: 'sent' }],
    [
      'smsDelivered',
      { providerMessageId: 'SM5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e', status: 'delivered' },
    ],
    [
      'smsUndelivered',
      {
        providerMessageId: 'SM5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e',
        status: 'failed',
        reasonCode: '30003',
        reason: 'Twilio status undelivered',
      },
    ],
    [
      'smsQueuedViaService',
      { providerMessageId: 'SM5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e', status: 'queued' },
    ],
    ['whatsAppRead', { providerMessageId: 'SM6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f', status: 'read' }],
    [
      'whatsAppFailed63016',
      {
        providerMessageId: 'SM6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f',
        status: 'failed',
        reasonCode: '63016',
        reason: 'Failed to send freeform message because you are outside the allowed window.',
      },
    ],
    ['received', undefined],
    ['futureStatus', undefined],
  ]
  for (const [name, expected] of table) {
    it(`${name} → ${expected ? `receipt ${expected.status}` : 'no receipt'}`, async () => {
      const t = await setUpTwilio()
      const res = await t.post('/status', STATUS[name])
      assert.equal(res.status, 200)
      assert.equal(await res.text(), '<Response></Response>')
      assert.deepEqual(t.ctx.receipts, expected ? [expected] : [])
    })
  }

  it('answers out-of-order callbacks normally; the host decides what is stale', async () => {
    const t = await setUpTwilio({}, { onReceipt: () => ({ status: 'stale' }) })
    const res = await t.post('/status', STATUS.smsSent)
    assert.equal(res.status, 200)
    assert.equal(t.ctx.receipts.length, 1)
    assert.ok(t.ctx.logs.some((l) => l.level === 'debug' && /older/.test(l.msg ?? '')))
  })

  it('serves Expertflow’s path /twilio-msg/status too', async () => {
    const t = await setUpTwilio()
    assert.equal((await t.post('/twilio-msg/status', STATUS.smsDelivered)).status, 200)
    assert.equal(t.ctx.receipts.length, 1)
  })

  it('refuses an unsigned or wrongly signed callback with 403 and records nothing', async () => {
    const t = await setUpTwilio()
    assert.equal((await t.post('/status', STATUS.smsDelivered, { signature: null })).status, 403)
    const forged = await t.post('/status', STATUS.smsDelivered, { token: 'guessed' })
    assert.equal(forged.status, 403)
    assert.equal(t.ctx.receipts.length, 0)
    assert.equal(t.counters.get('signature_failures'), 2)
  })

  it('answers a signed callback without MessageStatus with 400', async () => {
    const t = await setUpTwilio()
    const res = await t.post('/status', { MessageSid: 'SM1', AccountSid: 'AC1' })
    assert.equal(res.status, 400)
    const { error } = (await res.json()) as { error: { code: string; message: string } }
    assert.equal(error.code, 'INVALID_PAYLOAD')
    assert.match(error.message, /MessageStatus/)
  })
})
