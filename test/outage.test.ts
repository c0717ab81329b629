import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { isBodyType } from '@plugboard/sdk'
import { type Loop, SID, startLoop, until } from './helpers/setup.js'

let loop: Loop
before(async () => {
  loop = await startLoop({
    host: {
      config: { pipeline: { retry: { baseDelayMs: 20, maxDelayMs: 200, maxAttempts: 200 } } },
    },
  })
})
after(() => loop.close())

test('CCM down: customer messages are retried, delivered when it is back, in order per customer', async () => {
  loop.ccm.setMode('down', { retryAfter: 0 })
  const sent: string[] = []
  for (let i = 0; i < 12; i++) {
    const customer = i % 2 === 0 ? '+1555000A' : '+1555000B'
    const text = `${customer}#${i}`
    const answer = await loop.provider.sendInbound({
      id: `down-${i}`,
      from: customer,
      to: SID,
      text,
    })
    assert.equal(answer.status, 200, 'accepted while CCM is down')
    sent.push(text)
  }
  await until(() => loop.ccm.attempts >= 6, 'CCM being retried')
  assert.equal(loop.ccm.messages.length, 0)
  loop.ccm.setMode('up')
  await loop.ccm.waitFor((m) => String(m.body.markdownText).includes('#'), {
    count: 12,
    timeoutMs: 15_000,
  })
  for (const customer of ['+1555000A', '+1555000B']) {
    const got = loop.ccm.messages
      .filter((m) => m.header.channelData.channelCustomerIdentifier === customer)
      .map((m) => m.body.markdownText)
    assert.deepEqual(
      got,
      sent.filter((t) => t.startsWith(customer)),
      `order for ${customer}`,
    )
  }
  const metrics = await (await fetch(`${loop.test.url}/metrics`)).text()
  assert.match(
    metrics,
    /plugboard_retries_total\{connector="web",direction="inbound",kind="retryable"\} [1-9]/,
  )
})

test('provider outage: agent replies wait, then go out once each, in order', async () => {
  loop.provider.failNext(5, 503, { retryAfter: 0 })
  for (let i = 0; i < 4; i++) {
    const answer = await loop.ccm.sendOutbound({
      id: `out-${i}`,
      serviceIdentifier: SID,
      customerId: '+15550009',
      text: `reply ${i}`,
    })
    assert.equal(answer.status, 200)
  }
  await loop.provider.waitFor((m) => m.idempotencyKey.startsWith('out-'), {
    count: 4,
    timeoutMs: 15_000,
  })
  const order = loop.provider.messages
    .filter((m) => m.idempotencyKey.startsWith('out-'))
    .map((m) => m.idempotencyKey)
  assert.deepEqual(order, ['out-0', 'out-1', 'out-2', 'out-3'])
  for (let i = 0; i < 4; i++) assert.equal(loop.provider.received(`out-${i}`), 1)
})

test('a terminal provider error dead-letters the message and tells CCM it failed, with the provider code', async () => {
  loop.provider.failNext(1, 400, { code: 'INVALID_NUMBER' })
  await loop.ccm.sendOutbound({
    id: 'out-bad',
    serviceIdentifier: SID,
    customerId: 'not-a-number',
    text: 'x',
  })
  const [failed] = await loop.ccm.waitFor(
    (m) => isBodyType(m.body, 'DELIVERYNOTIFICATION') && m.body.messageId === 'out-bad',
  )
  assert.equal((failed!.body as { status: string }).status, 'FAILED')
  assert.equal(String((failed!.body as { reasonCode: unknown }).reasonCode), 'INVALID_NUMBER')
  const dead = await loop.test.host.pipeline.listDead()
  const letter = dead.find((d) => d.id === 'out-bad')
  assert.ok(letter, 'the message is in the dead-letter queue')
  assert.match(letter.reason, /^terminal: /)
  assert.equal(loop.provider.received('out-bad'), 0)
})
