import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type ByocLoop, customerTexts, LONG, quiet, startByocLoop } from './setup.js'

const PROMPT = 'Are you still there?'
const END = 'This conversation has ended. Write again any time to start a new one.'

let loop: ByocLoop
before(async () => {
  loop = await startByocLoop()
})
after(() => loop.close())

const smsTo = (loop: ByocLoop, to: string) =>
  loop.twilio.messages.filter((m) => m.to === to).map((m) => m.body)

test('an idle customer is asked after 2 minutes, and 20 seconds later the thread ends', async () => {
  const customer = '+15550501'
  const thread = await customerTexts(loop, customer, 'I want to change my address')
  await loop.cxone.agent.reply(thread.id, 'Sure, what is the new one?')
  await loop.twilio.waitFor((m) => m.body === 'Sure, what is the new one?', LONG)

  await loop.clock.advance(120_000)
  await loop.twilio.waitFor((m) => m.to === customer && m.body === PROMPT, LONG)
  await loop.clock.advance(20_000)
  await loop.twilio.waitFor((m) => m.to === customer && m.body === END, LONG)
  await loop.cxone.waitForClosed(thread.id, LONG)
  assert.deepEqual(smsTo(loop, customer), ['Sure, what is the new one?', PROMPT, END])

  const next = await customerTexts(loop, customer, 'Sorry, I was away')
  assert.notEqual(next.id, thread.id, 'a new thread after the idle end')
})

test('a customer message during the countdown cancels it', async () => {
  const customer = '+15550502'
  const thread = await customerTexts(loop, customer, 'Question about billing')
  await loop.cxone.agent.reply(thread.id, 'Which invoice?')
  await loop.twilio.waitFor((m) => m.body === 'Which invoice?', LONG)
  await loop.clock.advance(120_000)
  await loop.twilio.waitFor((m) => m.to === customer && m.body === PROMPT, LONG)

  const answer = await customerTexts(loop, customer, 'The one from March')
  assert.equal(answer.id, thread.id)
  await loop.clock.advance(20_000)
  await quiet(loop.test)
  assert.deepEqual(smsTo(loop, customer), ['Which invoice?', PROMPT])
  assert.equal(loop.cxone.thread(thread.id)?.closed, false)
  assert.equal((await customerTexts(loop, customer, 'Still here')).id, thread.id)
})
