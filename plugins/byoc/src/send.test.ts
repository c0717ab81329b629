import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { deliveryNotification, isPluginError } from '@plugboard/sdk'
import { type CxoneSimulator, startCxoneSimulator } from '@plugboard/testkit'
import { type ByocHarness, customerMessage, customerSays, SMS, setUpByoc } from '../test/harness.js'

let cxone: CxoneSimulator
before(async () => {
  cxone = await startCxoneSimulator()
})
after(() => cxone.close())

const send = (byoc: ByocHarness, message = customerMessage('hi')) =>
  byoc.connector.send(message, { attempt: 1, idempotencyKey: message.id })
const closeThread = async (byoc: ByocHarness, threadId: string) =>
  byoc.post(`/integration/box/1.0/posts/${threadId}/close`, {})

test("a customer's messages go to one thread, created with the customer's identity", async () => {
  const byoc = await setUpByoc({ cxone })
  const customerId = '+15550001'
  const first = await customerSays(byoc, 'first', { customerId })
  const second = await customerSays(byoc, 'second', { customerId })
  assert.equal(first, second)
  const thread = cxone.thread(first)!
  assert.equal(thread.threadName, 'Jane Doe')
  assert.deepEqual(
    thread.messages.map((m) => m.text),
    ['first', 'second'],
  )
  const raw = thread.messages[0]!.raw as { authorEndUserIdentity: Record<string, string> }
  assert.deepEqual(raw.authorEndUserIdentity, {
    idOnExternalPlatform: customerId,
    firstName: 'Jane',
    lastName: 'Doe',
  })
  await byoc.close()
})

test('receipts of agent messages become CXone statuses; other receipts are ignored', async () => {
  const byoc = await setUpByoc({ cxone })
  await byoc.connectAgent()
  const threadId = await customerSays(byoc, 'status please', { customerId: '+15550006' })
  const { message } = await cxone.agent.reply(threadId, 'On it')
  const agentId = message!.idOnExternalPlatform
  const receipt = (status: 'DELIVERED' | 'READ' | 'FAILED', messageId = agentId) =>
    deliveryNotification({ messageId, status, serviceIdentifier: SMS, customerId: '+15550006' })
  assert.ok((await send(byoc, receipt('DELIVERED', 'sent-by-someone-else'))).ignored)
  assert.deepEqual(await send(byoc, receipt('DELIVERED')), {})
  assert.deepEqual(await send(byoc, receipt('READ')), {})
  const updates = await cxone.waitForStatus((u) => u.messageId === agentId, { count: 2 })
  assert.deepEqual(
    updates.map((u) => u.status),
    ['delivered', 'seen'],
  )
  assert.equal(message!.status, 'seen')
  await send(byoc, receipt('FAILED'))
  const [failed] = await cxone.waitForStatus(
    (u) => u.messageId === agentId && u.status === 'failed',
  )
  assert.match(failed!.reason ?? '', /code 500/)
  await byoc.close()
})

test('typing is passed on as a sender action in the open thread', async () => {
  const byoc = await setUpByoc({ cxone })
  const threadId = await customerSays(byoc, 'typing next', { customerId: '+15550002' })
  const typing = customerMessage(
    { type: 'NOTIFICATION', markdownText: '', notificationType: 'TYPING_STARTED' },
    { customerId: '+15550002' },
  )
  assert.deepEqual(await send(byoc, typing), {})
  assert.deepEqual(cxone.thread(threadId)?.senderActions, ['isTypingOn'])
  const other = customerMessage(
    { type: 'NOTIFICATION', markdownText: '', notificationType: 'TASK_ENQUEUED' },
    { customerId: '+15550002' },
  )
  assert.ok((await send(byoc, other)).ignored)
  await byoc.close()
})

test('after the agent ends a thread the next message starts a new one', async () => {
  const byoc = await setUpByoc({ cxone })
  const customerId = '+15550003'
  const first = await customerSays(byoc, 'before', { customerId })
  assert.equal((await closeThread(byoc, first)).status, 200)
  const second = await customerSays(byoc, 'after', { customerId })
  assert.notEqual(second, first)
  await byoc.close()
})

test('with afterAgentEnd: notice, the customer gets the closed notice and CXone nothing, for a while', async () => {
  const byoc = await setUpByoc({
    cxone,
    config: {
      afterAgentEnd: 'notice',
      closedNoticeText: 'We are closed.',
      closedNoticeSeconds: 600,
    },
  })
  const customerId = '+15550004'
  const first = await customerSays(byoc, 'before', { customerId })
  await closeThread(byoc, first)
  const seen = cxone.messages.length
  const result = await send(byoc, customerMessage('hello again', { customerId }))
  assert.ok(result.ignored)
  assert.equal(cxone.messages.length, seen)
  const notice = byoc.ctx.inboundMessages.at(-1)!
  assert.equal(notice.message.body.markdownText, 'We are closed.')
  assert.equal(notice.message.header.channelData.channelCustomerIdentifier, customerId)
  assert.match(notice.options.providerMessageId ?? '', /^closed-notice:/)
  await byoc.clock.advance(600_000)
  const later = await customerSays(byoc, 'much later', { customerId })
  assert.notEqual(later, first)
  await byoc.close()
})

test('END_CHAT from the customer side closes the thread in CXone', async () => {
  const byoc = await setUpByoc({ cxone })
  const customerId = '+15550005'
  const threadId = await customerSays(byoc, 'bye', { customerId })
  await send(byoc, customerMessage('', { customerId, intent: 'END_CHAT' }))
  await cxone.waitForClosed(threadId)
  await byoc.close()
})

test('while CXone has removed the channel, customer messages wait (auth) and nothing is created', async () => {
  const byoc = await setUpByoc({ cxone })
  const bearer = await byoc.token()
  const removed = await byoc.call('POST', '/integration/remove', {
    headers: { authorization: `Bearer ${bearer}` },
  })
  assert.equal(removed.status, 200)
  assert.equal(byoc.connector.health?.().state, 'degraded')
  await assert.rejects(send(byoc), (e: unknown) => isPluginError(e) && e.kind === 'auth')
  await byoc.call('POST', '/integration/reconnect', {
    headers: { authorization: `Bearer ${bearer}` },
  })
  assert.equal(byoc.connector.health?.().state, 'up')
  await customerSays(byoc, 'back again')
  await byoc.close()
})
