import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { isBodyType } from '@plugboard/sdk'
import { type CxoneSimulator, startCxoneSimulator } from '@plugboard/testkit'
import { type ByocHarness, CUSTOMER, customerSays, SMS, setUpByoc } from '../../test/harness.js'

let cxone: CxoneSimulator
let byoc: ByocHarness
before(async () => {
  cxone = await startCxoneSimulator()
  byoc = await setUpByoc({ cxone })
})
after(async () => {
  await byoc.close()
  await cxone.close()
})

const reply = (threadId: string) => `/integration/box/1.0/posts/${threadId}/messages`
const agentText = (text: string, extra: Record<string, unknown> = {}) => ({
  id: `cx-${Math.random()}`,
  messageContent: { type: 'TEXT', payload: { text } },
  authorUser: { firstName: 'Alex', lastName: 'Agent' },
  ...extra,
})

test('an agent reply is handed to the host for the customer and named to CXone by its CIM id', async () => {
  const threadId = await customerSays(byoc, 'Hello, anyone there?')
  const res = await byoc.post(reply(threadId), agentText('Hi Jane, how can I help?'))
  assert.equal(res.status, 200)
  const { idOnExternalPlatform } = (await res.json()) as { idOnExternalPlatform: string }
  const handed = byoc.ctx.inboundMessages.at(-1)!.message
  assert.equal(handed.id, idOnExternalPlatform)
  assert.equal(handed.body.markdownText, 'Hi Jane, how can I help?')
  assert.equal(handed.header.channelData.serviceIdentifier, SMS)
  assert.equal(handed.header.channelData.channelCustomerIdentifier, CUSTOMER)
  assert.equal(handed.header.sender.type, 'AGENT')
  assert.equal(handed.header.sender.senderName, 'Alex Agent')
})

test('a repeated post of the same CXone message is answered with the same id, handed over once', async () => {
  const threadId = await customerSays(byoc, 'Repeat test')
  const body = agentText('Only once please')
  const first = (await (await byoc.post(reply(threadId), body)).json()) as Record<string, string>
  const seen = byoc.ctx.inboundMessages.length
  const second = (await (await byoc.post(reply(threadId), body)).json()) as Record<string, string>
  assert.equal(second.idOnExternalPlatform, first.idOnExternalPlatform)
  // The host drops the repeat by its key; the plugin asked with the same one.
  const keys = byoc.ctx.inboundMessages.slice(seen - 1).map((m) => m.options.providerMessageId)
  assert.equal(new Set(keys).size, 1)
})

test('unknown and reshaped fields are tolerated and logged once, by name only', async () => {
  const threadId = await customerSays(byoc, 'Fields test')
  const res = await byoc.post(
    reply(threadId),
    agentText('With extras', { sentiment: { score: 0.9 }, attachments: 'not-a-list' }),
  )
  assert.equal(res.status, 200)
  const logged = byoc.ctx.logs.filter((l) => /fields this plugin does not know/.test(l.msg ?? ''))
  assert.equal(logged.length, 1)
  assert.deepEqual((logged[0]!.obj as { unknownFields: string[] }).unknownFields, ['sentiment'])
  assert.deepEqual((logged[0]!.obj as { changedFields: string[] }).changedFields, ['attachments'])
  await byoc.post(reply(threadId), agentText('Again', { sentiment: { score: 0.1 } }))
  assert.equal(
    byoc.ctx.logs.filter((l) => /fields this plugin does not know/.test(l.msg ?? '')).length,
    1,
  )
})

test('attachments become one media message each, the text riding on the first', async () => {
  const threadId = await customerSays(byoc, 'Send me the form')
  const seen = byoc.ctx.inboundMessages.length
  const res = await byoc.post(reply(threadId), {
    messageContent: { type: 'TEXT', payload: { text: 'Here it is' } },
    attachments: [
      { friendlyName: 'form.pdf', url: 'https://cxone.test/f/form.pdf' },
      { friendlyName: 'map.png', url: 'https://cxone.test/f/map.png' },
    ],
  })
  assert.equal(res.status, 200)
  const handed = byoc.ctx.inboundMessages.slice(seen).map((m) => m.message)
  assert.deepEqual(
    handed.map((m) => [m.body.type, m.body.markdownText]),
    [
      ['FILE', 'Here it is'],
      ['IMAGE', null],
    ],
  )
  assert.ok(isBodyType(handed[0]!.body, 'FILE'))
})

test('refusals: unknown thread 404, nothing to send 400, a channel no longer routed 409', async () => {
  assert.equal((await byoc.post(reply('no-such-thread'), agentText('x'))).status, 404)
  const threadId = await customerSays(byoc, 'Edge cases')
  const empty = await byoc.post(reply(threadId), { messageContent: { type: 'TEXT', payload: {} } })
  assert.equal(empty.status, 400)
  const notJson = await byoc.call('POST', reply(threadId), {
    body: '{oops',
    headers: { authorization: `Bearer ${await byoc.token()}` },
  })
  assert.equal(notJson.status, 400)
  const unrouted = await setUpByoc({ cxone, store: byoc.ctx.store, channels: [] })
  const res = await unrouted.post(reply(threadId), agentText('lost?'))
  assert.equal(res.status, 409)
  assert.match(((await res.json()) as { error: { message: string } }).error.message, /route/)
  await unrouted.close()
})

test('the DFO 3.0 outbound variant replies to a thread or starts one with a recipient', async () => {
  const outbound = `/integration/box/2.0/channel/${cxone.channelId}/outbound`
  const threadId = await customerSays(byoc, 'Outbound variant')
  const onThread = await byoc.post(outbound, {
    ...agentText('Reply via 3.0'),
    thread: { idOnExternalPlatform: threadId },
  })
  assert.equal(onThread.status, 200)
  const answer = (await onThread.json()) as {
    message: { idOnExternalPlatform: string }
    thread: { idOnExternalPlatform: string }
  }
  assert.equal(answer.thread.idOnExternalPlatform, threadId)
  assert.equal(byoc.ctx.inboundMessages.at(-1)!.message.id, answer.message.idOnExternalPlatform)

  const started = await byoc.post(outbound, {
    ...agentText('Your parcel is on its way'),
    endUserRecipients: [{ idOnExternalPlatform: '+15550142', isPrimary: true }],
  })
  assert.equal(started.status, 200)
  const fresh = (await started.json()) as { thread: { idOnExternalPlatform: string } }
  const handed = byoc.ctx.inboundMessages.at(-1)!.message
  assert.equal(handed.header.channelData.channelCustomerIdentifier, '+15550142')
  assert.equal(handed.header.channelData.serviceIdentifier, SMS)
  // The customer's answer goes to the thread CXone started.
  assert.equal(
    await customerSays(byoc, 'Thanks!', { customerId: '+15550142' }),
    fresh.thread.idOnExternalPlatform,
  )

  const wrongChannel = await byoc.post(
    '/integration/box/2.0/channel/other/outbound',
    agentText('x'),
  )
  assert.equal(wrongChannel.status, 404)
  const noRecipient = await byoc.post(outbound, agentText('to whom?'))
  assert.equal(noRecipient.status, 400)
})
