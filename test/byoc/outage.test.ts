import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type ByocLoop, customerTexts, quiet, SMS_NUMBER, startByocLoop, until } from './setup.js'

let loop: ByocLoop
before(async () => {
  loop = await startByocLoop()
})
after(() => loop.close())

test('during a CXone outage customer messages wait, then arrive once and in order', async () => {
  loop.cxone.setMode('down', { status: 503 })
  const texts = ['outage one', 'outage two', 'outage three']
  for (const body of texts) {
    const sent = await loop.twilio.sendSms({ from: '+15550401', to: SMS_NUMBER, body })
    assert.equal(sent.answer?.status, 200, 'Twilio is answered at once, CXone or not')
  }
  const start = loop.cxone.apiRequests
  await until(() => loop.cxone.apiRequests >= start + 3, 'failing attempts')
  assert.equal(loop.cxone.messages.length, 0)
  loop.cxone.setMode('up')
  const arrived = await loop.cxone.waitForMessage((m) => texts.includes(m.text), {
    count: 3,
    timeoutMs: 15_000,
  })
  assert.deepEqual(
    arrived.map((m) => m.text),
    texts,
  )
  await quiet(loop.test)
  assert.equal(loop.cxone.messages.filter((m) => texts.includes(m.text)).length, 3)
  assert.equal(new Set(arrived.map((m) => m.threadId)).size, 1)
})

test('throttling (429 with Retry-After) and resets are retried', async () => {
  loop.cxone.failNext(1, { status: 429, retryAfter: 0 })
  loop.cxone.failNext(1, { kind: 'reset' })
  const thread = await customerTexts(loop, '+15550402', 'after throttling')
  assert.equal(thread.messages.filter((m) => m.text === 'after throttling').length, 1)
})

test('an answer lost after CXone took the message does not double it', async () => {
  loop.cxone.failNext(1, { kind: 'timeout', commit: true })
  const thread = await customerTexts(loop, '+15550403', 'taken but unanswered')
  await quiet(loop.test)
  assert.equal(thread.messages.filter((m) => m.text === 'taken but unanswered').length, 1)
})
