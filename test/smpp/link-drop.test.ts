import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isBodyType } from '@plugboard/sdk'
import { isNotification, notifications, type SmppLoop, startSmppLoop, until } from './helpers.js'

const COUNT = 25
const WINDOW = 10

async function fillWindowAndDrop(loop: SmppLoop, prefix: string, held: 'discard' | 'accept') {
  await until(() => loop.status()?.state === 'running', 'the connector to bind')
  loop.smsc.holdResponses()
  // One customer each: the host sends one conversation's messages one at a time.
  for (let i = 0; i < COUNT; i++) {
    await loop.send(
      `${prefix}-${i}`,
      `${prefix} message ${i}`,
      `+491555010${String(i).padStart(2, '0')}`,
    )
  }
  await until(() => loop.smsc.held === WINDOW, 'a full window at the SMSC')
  assert.equal(loop.smsc.dropLinks({ held }), 1)
  await loop.ccm.waitFor(
    (m) =>
      isBodyType(m.body, 'DELIVERYNOTIFICATION') &&
      String(m.body.messageId).startsWith(`${prefix}-`),
    { count: COUNT, timeoutMs: 20_000 },
  )
}

test('link dropped with a full window, requests never taken: every message sent exactly once', async (t) => {
  const loop = await startSmppLoop({ connector: { window: WINDOW } })
  t.after(() => loop.close())
  await fillWindowAndDrop(loop, 'drop', 'discard')
  const texts = loop.smsc.submits.map((s) => s.text)
  for (let i = 0; i < COUNT; i++) {
    assert.equal(texts.filter((x) => x === `drop message ${i}`).length, 1, `message ${i} once`)
  }
  assert.deepEqual(loop.smsc.duplicates(), [])
  assert.equal(loop.smsc.rejected.filter((r) => r.reason === 'discarded').length, WINDOW)
  // Receipts for the messages sent after the re-bind are matched: one DELIVERED each.
  for (let i = 0; i < COUNT; i++) {
    assert.deepEqual(notifications(loop.ccm, `drop-${i}`), ['DELIVERED'])
  }
  assert.ok(loop.smsc.binds.filter((b) => b.status === 0).length >= 2, 'it re-bound')
})

test('link dropped after the SMSC took the window: nothing lost, duplicates only for those in flight', async (t) => {
  const loop = await startSmppLoop({ connector: { window: WINDOW } })
  t.after(() => loop.close())
  await fillWindowAndDrop(loop, 'lost', 'accept')
  // SMPP cannot tell "taken, answer lost" from "never taken"; at-least-once sends those again.
  // Exactly the window in flight at the drop is duplicated, nothing else.
  const dupes = loop.smsc.duplicates()
  assert.equal(dupes.length, WINDOW)
  assert.ok(dupes.every((d) => d.count === 2))
  assert.equal(loop.smsc.submits.length, COUNT + WINDOW)
  for (let i = 0; i < COUNT; i++) {
    const copies = loop.smsc.submits.filter((s) => s.text === `lost message ${i}`).length
    assert.ok(copies >= 1 && copies <= 2, `message ${i}: ${copies} copies`)
    await loop.ccm.waitFor(isNotification(`lost-${i}`, 'DELIVERED'))
    assert.deepEqual(notifications(loop.ccm, `lost-${i}`), ['DELIVERED'])
  }
})

test('a hung SMSC: the dead link is detected, re-bound, and the message goes out once it answers', async (t) => {
  const loop = await startSmppLoop({ connector: { responseTimeoutMs: 300, enquireLinkMs: 200 } })
  t.after(() => loop.close())
  await until(() => loop.status()?.state === 'running', 'the bind')
  loop.smsc.mute(true)
  await loop.send('hung-1', 'sent after the SMSC recovers')
  // Unanswered submit → enquire_link → unanswered too → the link is dropped and bound again.
  await loop.smsc.waitForBind((b) => b.status === 0, { count: 2, timeoutMs: 10_000 })
  loop.smsc.mute(false)
  await loop.ccm.waitFor(isNotification('hung-1', 'DELIVERED'), { timeoutMs: 15_000 })
  // The muted SMSC took nothing, so nothing was duplicated.
  assert.equal(loop.smsc.submits.filter((s) => s.text === 'sent after the SMSC recovers').length, 1)
})
