import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type ByocLoop, customerTexts, LONG, quiet, SMS_NUMBER, startByocLoop } from './setup.js'

let loop: ByocLoop
before(async () => {
  loop = await startByocLoop({ statusSequence: ['sent', 'delivered', 'read'] })
})
after(() => loop.close())

test('a customer SMS creates a CXone thread; CCM gets nothing', async () => {
  const sent = await loop.twilio.sendSms({
    from: '+15550199',
    to: SMS_NUMBER,
    body: 'Hi, my order is late',
  })
  assert.equal(sent.answer?.status, 200)
  assert.equal(sent.answer?.body, '<Response></Response>')
  const [message] = await loop.cxone.waitForMessage((m) => m.text === 'Hi, my order is late', LONG)
  const thread = loop.cxone.thread(message!.threadId)!
  assert.equal(thread.customerId, '+15550199')
  assert.equal(thread.channelId, loop.cxone.channelId)
  assert.equal(message!.author, '+15550199')
  // Twilio retrying the webhook does not make a second CXone message.
  assert.equal((await loop.twilio.postWebhook(sent.url, sent.params)).status, 200)
  await customerTexts(loop, '+15550199', 'marker')
  assert.equal(loop.cxone.messages.filter((m) => m.text === 'Hi, my order is late').length, 1)
  await quiet(loop.test)
  assert.equal(loop.ccm.messages.length, 0, 'a routed channel does not reach CCM')
})

test('an agent reply from CXone reaches the customer as an SMS from the number', async () => {
  const thread = await customerTexts(loop, '+15550198', 'Can someone help?')
  const reply = await loop.cxone.agent.reply(thread.id, 'Of course, what is your order number?')
  assert.equal(reply.answer.status, 200)
  assert.ok(reply.idOnExternalPlatform)
  const [sms] = await loop.twilio.waitFor(
    (m) => m.body === 'Of course, what is your order number?',
    LONG,
  )
  assert.equal(sms!.to, '+15550198')
  assert.equal(sms!.from, SMS_NUMBER)
  assert.equal(sms!.statusCallback, 'https://hooks.plugboard.test/webhooks/tw/status')
})

test("Twilio's delivery statuses become the agent message's CXone statuses", async () => {
  const thread = await customerTexts(loop, '+15550197', 'Status test')
  const { idOnExternalPlatform } = await loop.cxone.agent.reply(thread.id, 'Tracking this one')
  const updates = await loop.cxone.waitForStatus((u) => u.messageId === idOnExternalPlatform, {
    count: 2,
    timeoutMs: 15_000,
  })
  assert.deepEqual(
    updates.map((u) => u.status),
    ['delivered', 'seen'],
  )
  assert.equal(
    loop.cxone.messages.find((m) => m.idOnExternalPlatform === idOnExternalPlatform)?.status,
    'seen',
  )
})

test('a failed SMS is reported to CXone as failed, with the Twilio error code', async () => {
  loop.twilio.nextStatusSequence(['sent', { status: 'undelivered', errorCode: 30003 }])
  const thread = await customerTexts(loop, '+15550196', 'Failure test')
  const { idOnExternalPlatform } = await loop.cxone.agent.reply(thread.id, 'This will not arrive')
  const [failed] = await loop.cxone.waitForStatus(
    (u) => u.messageId === idOnExternalPlatform && u.status === 'failed',
    { timeoutMs: 15_000 },
  )
  assert.match(failed!.reason ?? '', /30003/)
})

test('replies with the DFO 3.0 outbound API reach the customer too, and can start a conversation', async () => {
  const thread = await customerTexts(loop, '+15550195', 'Outbound API test')
  const onThread = await loop.cxone.agent.replyOutbound({
    threadId: thread.id,
    text: 'Via the 3.0 API',
  })
  assert.equal(onThread.answer.status, 200)
  await loop.twilio.waitFor((m) => m.body === 'Via the 3.0 API' && m.to === '+15550195', LONG)
  const started = await loop.cxone.agent.replyOutbound({
    recipient: '+15550194',
    text: 'Your appointment is tomorrow at 10',
  })
  assert.equal(started.answer.status, 200)
  await loop.twilio.waitFor(
    (m) => m.body === 'Your appointment is tomorrow at 10' && m.to === '+15550194',
    LONG,
  )
  const answer = await customerTexts(loop, '+15550194', 'Thanks, see you')
  assert.equal(
    answer.id,
    started.message!.threadId,
    "the customer's answer joins the thread CXone started",
  )
})
