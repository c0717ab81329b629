import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, test } from 'node:test'
import { isPluginError, type PluginError } from '@plugboard/sdk'
import { type CxoneSimulator, createTestContext, startCxoneSimulator } from '@plugboard/testkit'
import { createFakeClock } from '../clock.js'
import { createDeClient, type NewMessage } from './client.js'
import { createCxoneOAuth } from './oauth.js'

let cxone: CxoneSimulator
const { request } = createTestContext({})
before(async () => {
  cxone = await startCxoneSimulator({ timeoutHoldMs: 5_000 })
})
after(async () => {
  await cxone.close()
})

const client = (timeoutMs = 2_000) => {
  const clock = createFakeClock()
  const { log } = createTestContext({})
  const tokens = createCxoneOAuth(
    { authUrl: cxone.authUrl, ...cxone.credentials },
    { request, clock, log, timeoutMs },
  )
  return createDeClient({
    request,
    tokens,
    apiUrl: cxone.url,
    channelId: cxone.channelId,
    timeoutMs,
    now: () => clock.now(),
  })
}

const message = (threadId: string = randomUUID(), text = 'hello'): NewMessage => ({
  idOnExternalPlatform: randomUUID(),
  direction: 'inbound',
  createdAtWithMilliseconds: new Date().toISOString(),
  thread: { idOnExternalPlatform: threadId, threadName: 'Jane' },
  messageContent: { type: 'TEXT', payload: { text } },
  authorEndUserIdentity: { idOnExternalPlatform: '+15550199', firstName: 'Jane' },
})

const failure = async (promise: Promise<unknown>): Promise<PluginError> => {
  try {
    await promise
  } catch (error) {
    assert.ok(isPluginError(error), String(error))
    return error
  }
  assert.fail('expected a PluginError')
}

test('a customer message creates the thread; the same id again is recognised as a duplicate', async () => {
  const de = client()
  const first = message(undefined, 'first words')
  assert.deepEqual(await de.createMessage(first), { duplicate: false })
  const [stored] = await cxone.waitForMessage(
    (m) => m.idOnExternalPlatform === first.idOnExternalPlatform,
  )
  assert.equal(stored!.text, 'first words')
  assert.equal(cxone.thread(first.thread.idOnExternalPlatform)?.customerId, '+15550199')
  assert.deepEqual(await de.createMessage(first), { duplicate: true })
})

test('a token CXone stopped accepting is replaced and the call repeated once', async () => {
  const de = client()
  await de.createMessage(message())
  cxone.expireTokens()
  const before = cxone.tokenRequests
  await de.createMessage(message())
  assert.equal(cxone.tokenRequests - before, 1)
})

test("CXone's errors are classified: 429 and 5xx retry, 4xx is terminal, with CXone's code", async () => {
  const de = client()
  cxone.failNext(1, { status: 429, retryAfter: 7 })
  const throttled = await failure(de.createMessage(message()))
  assert.equal(throttled.kind, 'retryable')
  assert.equal(throttled.code, 'CXONE_THROTTLED')
  assert.equal(throttled.retryAfterMs, 7_000)
  cxone.failNext(1, { status: 503 })
  assert.equal((await failure(de.createMessage(message()))).kind, 'retryable')
  const invalid = message()
  invalid.createdAtWithMilliseconds = 'yesterday'
  const refused = await failure(de.createMessage(invalid))
  assert.equal(refused.kind, 'terminal')
  assert.equal(refused.providerCode, 'ValidationFailed')
  assert.match(refused.message, /field createdAtWithMilliseconds/)
})

test('a timeout is retryable; with the message already taken, the retry is a duplicate', async () => {
  const de = client(300)
  const m = message()
  cxone.failNext(1, { kind: 'timeout', commit: true })
  const timedOut = await failure(de.createMessage(m))
  assert.equal(timedOut.kind, 'retryable')
  assert.deepEqual(await de.createMessage(m), { duplicate: true })
  assert.equal(
    cxone.messages.filter((x) => x.idOnExternalPlatform === m.idOnExternalPlatform).length,
    1,
  )
})

test('typing, closing a thread and statuses reach CXone', async () => {
  const de = client()
  const m = message()
  await de.createMessage(m)
  const threadId = m.thread.idOnExternalPlatform
  await de.senderAction(threadId, 'isTypingOn')
  assert.deepEqual(cxone.thread(threadId)?.senderActions, ['isTypingOn'])
  await de.closeThread(threadId)
  await cxone.waitForClosed(threadId)
  const closed = await failure(de.createMessage(message(threadId)))
  assert.equal(closed.providerCode, 'ThreadIsClosed')
  const unknown = await failure(de.setStatus('no-such-message', 'delivered'))
  assert.equal(unknown.kind, 'terminal')
  assert.equal(unknown.status, 404)
})
