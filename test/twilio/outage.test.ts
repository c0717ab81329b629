import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type DeliveryNotificationBody, isBodyType } from '@plugboard/sdk'
import { quiet, SMS_NUMBER, startTwilioLoop, type TwilioLoop, WHATSAPP_NUMBER } from './setup.js'

let loop: TwilioLoop
before(async () => {
  loop = await startTwilioLoop({
    statusSequence: ['delivered'],
    // Long enough that a loaded machine never times out a request Twilio answers, so a
    // timeout here is always the simulated one (which creates nothing).
    connector: { timeoutMs: 3000 },
  })
})
after(() => loop.close())

const notification = (id: string) => (m: { body: unknown }) =>
  isBodyType(m.body as never, 'DELIVERYNOTIFICATION') &&
  (m.body as DeliveryNotificationBody).messageId === id

test('Twilio outage (500s, a timeout, a reset, 429s) then recovery: every reply sent once, in order', async () => {
  loop.twilio.failNext(2, { status: 500 })
  loop.twilio.failNext(1, { kind: 'timeout' })
  loop.twilio.failNext(1, { kind: 'reset' })
  loop.twilio.failNext(2, { status: 429, retryAfter: 1 })
  loop.twilio.failNext(1, { status: 503, code: 20429 })
  const failures = 7
  const replies: Array<[string, string, string]> = []
  for (let i = 0; i < 6; i++) {
    const customer = i % 2 === 0 ? '+15550201' : '+15550202'
    const channel = i % 3 === 0 ? WHATSAPP_NUMBER : SMS_NUMBER
    replies.push([`out-${i}`, customer, `reply ${i} to ${customer} on ${channel}`])
    const answer = await loop.ccm.sendOutbound({
      id: `out-${i}`,
      serviceIdentifier: channel,
      customerId: customer,
      text: `reply ${i} to ${customer} on ${channel}`,
    })
    assert.equal(answer.status, 200, 'CCM hears "accepted" while Twilio is down')
  }
  const bodies = replies.map(([, , text]) => text)
  await loop.twilio.waitFor((m) => bodies.includes(m.body ?? ''), {
    count: replies.length,
    timeoutMs: 30_000,
  })
  for (const text of bodies) {
    assert.equal(
      loop.twilio.messages.filter((m) => m.body === text).length,
      1,
      `"${text}" sent exactly once`,
    )
  }
  for (const [channel, customer] of [
    [SMS_NUMBER, '+15550201'],
    [SMS_NUMBER, '+15550202'],
    [WHATSAPP_NUMBER, '+15550201'],
    [WHATSAPP_NUMBER, '+15550202'],
  ] as const) {
    const sentOrder = loop.twilio.messages
      .filter((m) => m.from === channel && m.to.endsWith(customer))
      .map((m) => m.body)
    const expected = bodies.filter((b) => b.includes(customer) && b.endsWith(channel))
    assert.deepEqual(sentOrder, expected, `order for ${customer} on ${channel}`)
  }
  assert.equal(loop.twilio.attempts, replies.length + failures)

  // Nothing lost on the way back either: each reply is reported delivered.
  for (const [id] of replies) {
    const [note] = await loop.ccm.waitFor(notification(id), { timeoutMs: 15_000 })
    assert.equal((note!.body as DeliveryNotificationBody).status, 'DELIVERED')
  }
  const metrics = await (await fetch(`${loop.test.url}/metrics`)).text()
  assert.match(
    metrics,
    /plugboard_retries_total\{connector="tw",direction="outbound",kind="retryable"\} [1-9]/,
  )
})

test('a rejected credential holds the message until Twilio accepts again, then sends it once', async () => {
  await quiet(loop.test)
  loop.twilio.failNext(2, { status: 401 })
  await loop.ccm.sendOutbound({
    id: 'out-auth',
    serviceIdentifier: SMS_NUMBER,
    customerId: '+15550203',
    text: 'after the rotation',
  })
  await loop.twilio.waitFor((m) => m.body === 'after the rotation', { timeoutMs: 15_000 })
  await loop.ccm.waitFor(notification('out-auth'))
  assert.equal(loop.twilio.messages.filter((m) => m.body === 'after the rotation').length, 1)
})

const terminal: Array<[string, () => void, string, string]> = [
  [
    'an invalid number (21211)',
    () => loop.twilio.failNext(1, { status: 400, code: 21211 }),
    '+15550204',
    '21211',
  ],
  ['an unsubscribed customer (21610)', () => loop.twilio.optOut('+15550205'), '+15550205', '21610'],
  [
    'a closed WhatsApp window (63016)',
    () => loop.twilio.failNext(1, { status: 400, code: 63016 }),
    '+15550206',
    '63016',
  ],
]
for (const [name, arrange, customer, code] of terminal) {
  test(`${name}: no retry, FAILED to CCM with Twilio's code, dead-lettered`, async () => {
    await quiet(loop.test)
    arrange()
    const id = `out-terminal-${code}`
    const attempts = loop.twilio.attempts
    await loop.ccm.sendOutbound({
      id,
      serviceIdentifier: SMS_NUMBER,
      customerId: customer,
      text: `terminal ${code}`,
    })
    const [failed] = await loop.ccm.waitFor(notification(id))
    const body = failed!.body as DeliveryNotificationBody
    assert.equal(body.status, 'FAILED')
    assert.equal(String(body.reasonCode), code)
    assert.equal(loop.twilio.attempts, attempts + 1, 'not retried')
    assert.equal(loop.twilio.messages.filter((m) => m.body === `terminal ${code}`).length, 0)
    const dead = await loop.test.host.pipeline.listDead()
    const letter = dead.find((d) => d.id === id)
    assert.ok(letter, 'dead-lettered')
    assert.match(letter.reason, /^terminal: /)
  })
}
