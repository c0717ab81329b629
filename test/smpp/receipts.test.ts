import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isBodyType } from '@plugboard/sdk'
import { isNotification, notifications, startSmppLoop, until } from './helpers.js'

test('receipts released out of order still reach CCM once each, multipart ones when all parts are in', async (t) => {
  const loop = await startSmppLoop()
  t.after(() => loop.close())
  await until(() => loop.status()?.state === 'running', 'the bind')
  loop.smsc.holdReceipts()
  await loop.send('ooo-1', 'first')
  await loop.send('ooo-2', `second ${'y'.repeat(300)}`, '+4915550999')
  await loop.send('ooo-3', 'third', '+4915550998')
  await until(() => loop.smsc.submits.length === 5, 'all five parts at the SMSC')
  // Let the parts' records settle before any receipt can arrive; then release newest first.
  await until(
    async () => (await loop.test.host.pipeline.stats()).ready === 0,
    'the sends to finish',
  )
  assert.equal(loop.smsc.releaseReceipts({ order: 'reverse' }), 5)
  for (const id of ['ooo-1', 'ooo-2', 'ooo-3']) {
    await loop.ccm.waitFor(isNotification(id, 'DELIVERED'))
  }
  await loop.smsc.waitForDelivery((d) => d.kind === 'receipt' && d.status === 0, { count: 5 })
  for (const id of ['ooo-1', 'ooo-2', 'ooo-3'])
    assert.deepEqual(notifications(loop.ccm, id), ['DELIVERED'])
})

test('one undeliverable part fails the whole message, with the SMSC error as reason', async (t) => {
  const loop = await startSmppLoop({
    smsc: { receipts: { state: (s) => (s.text.includes('#') ? 'UNDELIV' : 'DELIVRD') } },
  })
  t.after(() => loop.close())
  // 153 septets of 'a', then the part with '#' in it.
  await loop.send('fail-1', `${'a'.repeat(153)}#bad part`)
  const [failed] = await loop.ccm.waitFor(isNotification('fail-1', 'FAILED'))
  assert.ok(failed && isBodyType(failed.body, 'DELIVERYNOTIFICATION'))
  assert.equal(failed.body.reasonCode, '001')
  await loop.smsc.waitForDelivery((d) => d.kind === 'receipt', { count: 2 })
  assert.deepEqual(notifications(loop.ccm, 'fail-1'), ['FAILED'])
})

test('text-only receipts with a decimal id, coded as UCS2, are matched', async (t) => {
  const loop = await startSmppLoop({
    smsc: { receipts: { tlvs: false, idFormat: 'decimal', ucs2: true, state: 'EXPIRED' } },
  })
  t.after(() => loop.close())
  await loop.send('dec-1', 'hello')
  const [expired] = await loop.ccm.waitFor(isNotification('dec-1', 'FAILED'))
  assert.ok(expired && isBodyType(expired.body, 'DELIVERYNOTIFICATION'))
  assert.equal(expired.body.reasonCode, '001')
  const submit = loop.smsc.submits[0]
  assert.ok(submit)
  // The notification names the SMSC's message id as submit_sm_resp gave it (hex).
  assert.equal(expired.header.providerMessageId, submit.messageId)
})
