import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { DeliveryNotificationBody } from '@plugboard/sdk'
import { type Dialog360Loop, NUMBER, notificationsOf, quiet, startDialog360Loop } from './setup.js'

let loop: Dialog360Loop
before(async () => {
  loop = await startDialog360Loop({
    simulator: { statusSequence: ['delivered'] },
    // Long enough that a loaded machine never times out a request the simulator answers, so a
    // timeout here is always the simulated one (which sends nothing).
    connector: { timeoutMs: 3000 },
  })
})
after(() => loop.close())

test('360dialog outage (500s, a timeout, a reset, 429s, a throughput limit) then recovery: every reply sent once, in order', async () => {
  loop.d360.failNext(2, { status: 500 })
  loop.d360.failNext(1, { kind: 'timeout' })
  loop.d360.failNext(1, { kind: 'reset' })
  loop.d360.failNext(2, { status: 429, retryAfter: 1 })
  loop.d360.failNext(1, { status: 400, code: 130429 })
  const failures = 7
  const attempts = loop.d360.attempts
  const customers = ['4917600000001', '4917600000002']
  const replies: Array<[string, string, string]> = []
  for (let i = 0; i < 6; i++) {
    const customer = customers[i % 2]!
    const text = `reply ${i} to ${customer}`
    replies.push([`out-${i}`, customer, text])
    const answer = await loop.ccm.sendOutbound({
      id: `out-${i}`,
      serviceIdentifier: NUMBER,
      customerId: customer,
      text,
    })
    assert.equal(answer.status, 200, 'CCM hears "accepted" while 360dialog is down')
  }
  const texts = replies.map(([, , text]) => text)
  await loop.d360.waitFor((m) => texts.includes(m.text ?? ''), {
    count: replies.length,
    timeoutMs: 30_000,
  })
  for (const text of texts) {
    assert.equal(
      loop.d360.messages.filter((m) => m.text === text).length,
      1,
      `"${text}" sent exactly once`,
    )
  }
  for (const customer of customers) {
    assert.deepEqual(
      loop.d360.messages.filter((m) => m.to === customer).map((m) => m.text),
      texts.filter((t) => t.endsWith(customer)),
      `order for ${customer}`,
    )
  }
  assert.equal(loop.d360.attempts - attempts, replies.length + failures)

  // Nothing lost on the way back either: each reply is reported delivered.
  for (const [id] of replies) {
    const [note] = await loop.ccm.waitFor(notificationsOf(id), { timeoutMs: 15_000 })
    assert.equal((note!.body as DeliveryNotificationBody).status, 'DELIVERED')
  }
  const metrics = await (await fetch(`${loop.test.url}/metrics`)).text()
  assert.match(
    metrics,
    /plugboard_retries_total\{connector="d360",direction="outbound",kind="retryable"\} [1-9]/,
  )
})

test('a refused API key holds the message until 360dialog accepts again, then sends it once', async () => {
  await quiet(loop.test)
  loop.d360.failNext(2, { status: 401 })
  await loop.ccm.sendOutbound({
    id: 'out-auth',
    serviceIdentifier: NUMBER,
    customerId: '4917600000003',
    text: 'after the key rotation',
  })
  await loop.d360.waitFor((m) => m.text === 'after the key rotation', { timeoutMs: 15_000 })
  await loop.ccm.waitFor(notificationsOf('out-auth'))
  assert.equal(loop.d360.messages.filter((m) => m.text === 'after the key rotation').length, 1)
})

const terminal: Array<[string, (customer: string) => void, string]> = [
  ['the closed 24-hour window (131047)', (customer) => loop.d360.closeWindow(customer), '131047'],
  [
    'an undeliverable number (131026)',
    () => loop.d360.failNext(1, { status: 400, code: 131026 }),
    '131026',
  ],
]
for (const [name, arrange, code] of terminal) {
  test(`${name}: no retry, FAILED to CCM with WhatsApp's code, dead-lettered`, async () => {
    await quiet(loop.test)
    const customer = `49176000${code.slice(-4)}`
    arrange(customer)
    const id = `out-terminal-${code}`
    const attempts = loop.d360.attempts
    await loop.ccm.sendOutbound({
      id,
      serviceIdentifier: NUMBER,
      customerId: customer,
      text: `terminal ${code}`,
    })
    const [failed] = await loop.ccm.waitFor(notificationsOf(id))
    const body = failed!.body as DeliveryNotificationBody
    assert.equal(body.status, 'FAILED')
    assert.equal(String(body.reasonCode), code)
    assert.equal(loop.d360.attempts, attempts + 1, 'not retried')
    assert.equal(loop.d360.messages.filter((m) => m.text === `terminal ${code}`).length, 0)
    const dead = await loop.test.host.pipeline.listDead()
    const letter = dead.find((d) => d.id === id)
    assert.ok(letter, 'dead-lettered')
    assert.match(letter.reason, /^terminal: /)
    assert.match(letter.reason, /template|deliver/)
  })
}
