import assert from 'node:assert/strict'
import { after, test } from 'node:test'
import { type ByocLoop, customerTexts, LONG, quiet, SMS_NUMBER, startByocLoop } from './setup.js'

const loops: ByocLoop[] = []
after(() => Promise.all(loops.map((l) => l.close())))

test('after the agent ends the thread, the next customer message starts a new one', async () => {
  const loop = await startByocLoop()
  loops.push(loop)
  const thread = await customerTexts(loop, '+15550601', 'Can I cancel?')
  await loop.cxone.agent.reply(thread.id, 'Done, it is cancelled.')
  const ended = await loop.cxone.agent.endThread(thread.id)
  assert.equal(ended.status, 200)
  const next = await customerTexts(loop, '+15550601', 'One more thing')
  assert.notEqual(next.id, thread.id)
  assert.equal(
    loop.cxone.thread(thread.id)?.messages.some((m) => m.text === 'One more thing'),
    false,
  )
})

test('with afterAgentEnd: notice, the customer gets the closed notice and no thread', async () => {
  const loop = await startByocLoop({
    byoc: { afterAgentEnd: 'notice', closedNoticeText: 'This chat was closed by our team.' },
  })
  loops.push(loop)
  const thread = await customerTexts(loop, '+15550602', 'Hello')
  await loop.cxone.agent.endThread(thread.id)
  const threads = loop.cxone.threads.length
  const sent = await loop.twilio.sendSms({ from: '+15550602', to: SMS_NUMBER, body: 'Anyone?' })
  assert.equal(sent.answer?.status, 200)
  await loop.twilio.waitFor(
    (m) => m.to === '+15550602' && m.body === 'This chat was closed by our team.',
    LONG,
  )
  await quiet(loop.test)
  assert.equal(loop.cxone.threads.length, threads)
  assert.equal(
    loop.cxone.messages.some((m) => m.text === 'Anyone?'),
    false,
  )
})
