import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type CxoneSimulator, startCxoneSimulator } from '@plugboard/testkit'
import { type ByocHarness, customerSays, setUpByoc } from '../test/harness.js'

let cxone: CxoneSimulator
before(async () => {
  cxone = await startCxoneSimulator()
})
after(() => cxone.close())

const agentSays = async (byoc: ByocHarness, threadId: string, text: string) => {
  const res = await byoc.post(`/integration/box/1.0/posts/${threadId}/messages`, {
    messageContent: { type: 'TEXT', payload: { text } },
  })
  assert.equal(res.status, 200)
}
const toCustomer = (byoc: ByocHarness) =>
  byoc.ctx.inboundMessages.map((m) => String(m.message.body.markdownText))

test('an idle customer is prompted after 2 minutes and the thread ends 20 seconds later', async () => {
  const byoc = await setUpByoc({ cxone })
  const customerId = '+15550101'
  const threadId = await customerSays(byoc, 'I have a question', { customerId })
  await agentSays(byoc, threadId, 'Sure, what is it?')
  await byoc.clock.advance(119_000)
  assert.deepEqual(toCustomer(byoc), ['Sure, what is it?'])
  await byoc.clock.advance(1_000)
  assert.deepEqual(toCustomer(byoc), ['Sure, what is it?', 'Are you still there?'])
  const prompt = byoc.ctx.inboundMessages.at(-1)!.message
  assert.equal(prompt.header.sender.type, 'SYSTEM')
  assert.equal(prompt.header.channelData.channelCustomerIdentifier, customerId)
  await byoc.clock.advance(19_000)
  assert.equal(toCustomer(byoc).length, 2)
  await byoc.clock.advance(1_000)
  assert.match(toCustomer(byoc).at(-1) ?? '', /conversation has ended/)
  await cxone.waitForClosed(threadId)
  assert.notEqual(await customerSays(byoc, 'back again', { customerId }), threadId)
  await byoc.close()
})

test('a customer message during the countdown cancels it', async () => {
  const byoc = await setUpByoc({ cxone })
  const customerId = '+15550102'
  const threadId = await customerSays(byoc, 'hello', { customerId })
  await agentSays(byoc, threadId, 'Hi!')
  await byoc.clock.advance(120_000)
  assert.equal(toCustomer(byoc).at(-1), 'Are you still there?')
  assert.equal(await customerSays(byoc, 'yes, sorry', { customerId }), threadId)
  await byoc.clock.advance(600_000)
  assert.equal(toCustomer(byoc).at(-1), 'Are you still there?', 'no end message')
  assert.equal(cxone.thread(threadId)?.closed, false)
  assert.equal(await customerSays(byoc, 'still here', { customerId }), threadId)
  await byoc.close()
})

test('an agent message restarts the clock, and the customer writing first means no prompt', async () => {
  const byoc = await setUpByoc({ cxone })
  const customerId = '+15550103'
  const threadId = await customerSays(byoc, 'hello', { customerId })
  await agentSays(byoc, threadId, 'one')
  await byoc.clock.advance(100_000)
  await agentSays(byoc, threadId, 'two')
  await byoc.clock.advance(100_000)
  assert.deepEqual(toCustomer(byoc), ['one', 'two'])
  await customerSays(byoc, 'answer', { customerId })
  await byoc.clock.advance(600_000)
  assert.deepEqual(toCustomer(byoc), ['one', 'two'])
  await byoc.close()
})

test('a customer message handled by another replica stops the prompt here too', async () => {
  const here = await setUpByoc({ cxone })
  const there = await setUpByoc({ cxone, store: here.ctx.store })
  const customerId = '+15550104'
  const threadId = await customerSays(here, 'hello', { customerId })
  await agentSays(here, threadId, 'Hi from replica one')
  await there.clock.advance(60_000)
  assert.equal(await customerSays(there, 'answered on replica two', { customerId }), threadId)
  await here.clock.advance(600_000)
  assert.deepEqual(toCustomer(here), ['Hi from replica one'])
  await here.close()
  await there.close()
})

test('idlePromptSeconds: 0 turns the idle flow off', async () => {
  const byoc = await setUpByoc({ cxone, config: { idlePromptSeconds: 0 } })
  const threadId = await customerSays(byoc, 'hello', { customerId: '+15550105' })
  await agentSays(byoc, threadId, 'Hi!')
  assert.equal(byoc.clock.pending, 0)
  await byoc.close()
})
