import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { isBodyType } from '@plugboard/sdk'
import { type Loop, SID, startLoop, until } from './helpers/setup.js'

let loop: Loop
before(async () => {
  loop = await startLoop({ secret: 'round-trip-secret', autoReceipts: ['delivered', 'read'] })
})
after(() => loop.close())

test('a customer message reaches CCM once, even when the provider sends it twice', async () => {
  const first = await loop.provider.sendInbound({
    id: 'prov-1',
    from: '+15550001',
    to: SID,
    text: 'Hello there',
  })
  const again = await loop.provider.sendInbound({
    id: 'prov-1',
    from: '+15550001',
    to: SID,
    text: 'Hello there',
  })
  assert.equal(first.status, 200)
  assert.equal((first.body as { status: string }).status, 'accepted')
  assert.equal(again.status, 200)
  assert.equal((again.body as { status: string }).status, 'duplicate')
  const [message] = await loop.ccm.waitFor((m) => m.body.markdownText === 'Hello there')
  assert.equal(message!.header.channelData.serviceIdentifier, SID)
  assert.equal(message!.header.channelData.channelCustomerIdentifier, '+15550001')
  assert.equal(message!.header.sender.type, 'CONNECTOR')
  await loop.provider.sendInbound({ id: 'prov-2', from: '+15550001', to: SID, text: 'marker' })
  await loop.ccm.waitFor((m) => m.body.markdownText === 'marker')
  assert.equal(loop.ccm.messages.filter((m) => m.body.markdownText === 'Hello there').length, 1)
})

test('an agent reply reaches the customer and receipts come back to CCM as delivery notifications', async () => {
  const answer = await loop.ccm.sendOutbound({
    id: 'agent-msg-1',
    serviceIdentifier: SID,
    customerId: '+15550001',
    text: 'How can I help?',
  })
  assert.equal(answer.status, 200)
  assert.deepEqual(answer.body, { status: 'accepted', id: 'agent-msg-1', connector: 'web' })
  const [sent] = await loop.provider.waitFor((m) => m.idempotencyKey === 'agent-msg-1')
  assert.equal(sent!.to, '+15550001')
  assert.equal(sent!.text, 'How can I help?')
  const receipts = await loop.ccm.waitFor(
    (m) => isBodyType(m.body, 'DELIVERYNOTIFICATION') && m.body.messageId === 'agent-msg-1',
    { count: 2 },
  )
  assert.deepEqual(
    receipts.map((m) => (m.body as { status: string }).status),
    ['DELIVERED', 'READ'],
  )
  assert.equal(receipts[0]!.header.providerMessageId, sent!.providerId)
})

test('CCM sending the same outbound message twice sends it to the customer once', async () => {
  await loop.ccm.sendOutbound({
    id: 'agent-dup',
    serviceIdentifier: SID,
    customerId: '+15550002',
    text: 'once',
  })
  await loop.provider.waitFor((m) => m.idempotencyKey === 'agent-dup')
  const again = await loop.ccm.sendOutbound({
    id: 'agent-dup',
    serviceIdentifier: SID,
    customerId: '+15550002',
    text: 'once',
  })
  assert.equal(again.status, 200)
  await loop.ccm.sendOutbound({
    id: 'agent-after',
    serviceIdentifier: SID,
    customerId: '+15550002',
    text: 'after',
  })
  await loop.provider.waitFor((m) => m.idempotencyKey === 'agent-after')
  assert.equal(loop.provider.received('agent-dup'), 1)
})

test('malformed input from CCM gets a 4xx JSON error and nothing is queued', async () => {
  // Receipts from the earlier tests may still be on their way; start from a quiet pipeline.
  await until(async () => {
    const accepted = loop.provider.messages.filter((m) => !m.duplicate).length
    const receiptsDone =
      loop.provider.receipts.length === 2 * accepted &&
      loop.provider.receipts.every((r) => r.answer || r.error)
    return receiptsDone && (await loop.test.host.pipeline.stats()).ready === 0
  }, 'a quiet pipeline')
  const before = loop.provider.attempts
  const cases: [unknown, number, string][] = [
    ['{"id": "broken', 400, 'INVALID_JSON'],
    [
      { id: 'x1', header: { sender: { id: 'a', type: 'AGENT' } }, body: { type: 'PLAIN' } },
      400,
      'MESSAGE_INVALID',
    ],
    [
      {
        id: 'x2',
        header: {
          sender: { id: 'a', type: 'AGENT' },
          channelData: { serviceIdentifier: SID, channelCustomerIdentifier: 'c' },
        },
        body: { type: 'LOCATION', location: { latitude: 'north' } },
      },
      400,
      'MESSAGE_INVALID',
    ],
    [
      { serviceIdentifier: 'no-such-channel', customerId: 'c', text: 'hi' },
      404,
      'CHANNEL_NOT_FOUND',
    ],
  ]
  for (const [body, status, code] of cases) {
    const answer = await loop.ccm.sendOutbound(body as object)
    assert.equal(answer.status, status, JSON.stringify(answer.body))
    assert.equal((answer.body as { error: { code: string } }).error.code, code)
    assert.equal(typeof (answer.body as { error: { message: string } }).error.message, 'string')
  }
  const bad = (await loop.ccm.sendOutbound({
    id: 'x2',
    header: {
      sender: { id: 'a', type: 'AGENT' },
      channelData: { serviceIdentifier: SID, channelCustomerIdentifier: 'c' },
    },
    body: { type: 'LOCATION', location: { latitude: 'north' } },
  })) as { body: { error: { message: string } } }
  assert.match(bad.body.error.message, /body\.location\.latitude/)
  const stats = await loop.test.host.pipeline.stats()
  assert.equal(stats.ready, 0)
  assert.equal(stats.dead, 0)
  assert.equal(loop.provider.attempts, before)
})

test('a provider webhook with a bad signature is refused with 403 and counted', async () => {
  const answer = await loop.provider.sendInbound(
    { id: 'forged', from: '+1', to: SID, text: 'forged' },
    { signature: 'sha256=00' },
  )
  assert.equal(answer.status, 403)
  assert.equal((answer.body as { error: { code: string } }).error.code, 'BAD_SIGNATURE')
  const metrics = await (await fetch(`${loop.test.url}/metrics`)).text()
  assert.match(metrics, /plugboard_webhook_signature_failures_total\{connector="web"\} [1-9]/)
  assert.match(metrics, /plugboard_webhook_responses_total\{connector="web",status="403"\} [1-9]/)
})
