import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { DeliveryNotificationBody } from '@plugboard/sdk'
import { GRAPH_ERRORS } from '@plugboard/testkit'
import {
  type FacebookLoop,
  notificationsOf,
  PAGE_A,
  PAGE_B,
  quiet,
  startFacebookLoop,
} from './setup.js'

let loop: FacebookLoop
before(async () => {
  loop = await startFacebookLoop({
    afterSend: ['delivery'],
    // Long enough that a loaded machine never times out a request the simulator answers, so a
    // timeout here is always the simulated one (which sends nothing).
    connector: { timeoutMs: 3000 },
  })
})
after(() => loop.close())

/** Customers who wrote to both pages just now. */
async function customers(n: number): Promise<string[]> {
  const list: string[] = []
  for (let i = 0; i < n; i++) {
    const psid = loop.graph.newPsid()
    for (const pageId of [PAGE_A, PAGE_B]) {
      const sent = await loop.graph.sendText({ psid, pageId, text: `hello ${i}` })
      await loop.ccm.waitFor((m) => m.header.providerMessageId === sent.mid)
    }
    list.push(psid)
  }
  return list
}

test('Graph outage (5xx, 613, 4, a timeout, a reset) then recovery: every reply sent once, in order', async () => {
  const [c1, c2] = (await customers(2)) as [string, string]
  loop.graph.failNext(2, GRAPH_ERRORS.serverError)
  loop.graph.failNext(1, { kind: 'timeout' })
  loop.graph.failNext(1, { kind: 'reset' })
  loop.graph.failNext(2, { ...GRAPH_ERRORS.rateLimit, retryAfter: 1 })
  loop.graph.failNext(1, GRAPH_ERRORS.appRateLimit)
  loop.graph.failNext(1, { status: 502, code: 1 })
  const failures = 8
  const attempts = loop.graph.attempts
  const replies: Array<[string, string, string, string]> = []
  for (let i = 0; i < 8; i++) {
    const psid = i % 2 === 0 ? c1 : c2
    const page = i % 3 === 0 ? PAGE_B : PAGE_A
    const text = `reply ${i} to ${psid} on ${page}`
    replies.push([`fb-out-${i}`, psid, page, text])
    const answer = await loop.ccm.sendOutbound({
      id: `fb-out-${i}`,
      serviceIdentifier: page,
      customerId: psid,
      text,
    })
    assert.equal(answer.status, 200, 'CCM hears "accepted" while Graph is down')
  }
  const texts = replies.map(([, , , text]) => text)
  await loop.graph.waitFor((m) => texts.includes(m.text ?? ''), {
    count: replies.length,
    timeoutMs: 30_000,
  })
  for (const text of texts) {
    assert.equal(
      loop.graph.messages.filter((m) => m.text === text).length,
      1,
      `"${text}" sent exactly once`,
    )
  }
  for (const psid of [c1, c2]) {
    for (const page of [PAGE_A, PAGE_B]) {
      const order = loop.graph.messages
        .filter((m) => m.recipientId === psid && m.pageId === page)
        .map((m) => m.text)
      const expected = replies
        .filter(([, p, pg]) => p === psid && pg === page)
        .map(([, , , t]) => t)
      assert.deepEqual(order, expected, `order for ${psid} on ${page}`)
    }
  }
  assert.equal(loop.graph.attempts - attempts, replies.length + failures)

  // Nothing lost on the way back either: each reply is reported delivered.
  for (const [id] of replies) {
    const [note] = await loop.ccm.waitFor(notificationsOf(id), { timeoutMs: 15_000 })
    assert.equal((note!.body as DeliveryNotificationBody).status, 'DELIVERED')
  }
  const metrics = await (await fetch(`${loop.test.url}/metrics`)).text()
  assert.match(
    metrics,
    /plugboard_retries_total\{connector="fb",direction="outbound",kind="retryable"\} [1-9]/,
  )
})

test('an invalid page token holds the reply until Graph accepts again, then sends it once', async () => {
  const [psid] = (await customers(1)) as [string]
  await quiet(loop.test)
  loop.graph.failNext(2, GRAPH_ERRORS.invalidToken)
  await loop.ccm.sendOutbound({
    id: 'fb-auth',
    serviceIdentifier: PAGE_A,
    customerId: psid,
    text: 'after the rotation',
  })
  await loop.graph.waitFor((m) => m.text === 'after the rotation', { timeoutMs: 15_000 })
  await loop.ccm.waitFor(notificationsOf('fb-auth'))
  assert.equal(loop.graph.messages.filter((m) => m.text === 'after the rotation').length, 1)
})

test('a blocked customer (551): no retry, FAILED to CCM with Graph’s code, dead-lettered', async () => {
  const [psid] = (await customers(1)) as [string]
  await quiet(loop.test)
  loop.graph.block(psid, PAGE_A)
  const attempts = loop.graph.attempts
  await loop.ccm.sendOutbound({
    id: 'fb-551',
    serviceIdentifier: PAGE_A,
    customerId: psid,
    text: 'are you there?',
  })
  const [failed] = await loop.ccm.waitFor(notificationsOf('fb-551'))
  const body = failed!.body as DeliveryNotificationBody
  assert.equal(body.status, 'FAILED')
  assert.equal(String(body.reasonCode), '551')
  assert.equal(loop.graph.attempts, attempts + 1, 'not retried')
  const letter = (await loop.test.host.pipeline.listDead()).find((d) => d.id === 'fb-551')
  assert.ok(letter, 'dead-lettered')
  assert.match(letter.reason, /^terminal: /)
})
