import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isBodyType } from '@plugboard/sdk'
import { notifications, type SmppLoop, startSmppLoop, until } from './helpers.js'

async function sendAll(loop: SmppLoop, prefix: string, count: number) {
  for (let i = 0; i < count; i++) {
    await loop.send(`${prefix}-${i}`, `${prefix} ${i}`, `+4915550${String(i).padStart(4, '0')}`)
  }
  await loop.ccm.waitFor(
    (m) =>
      isBodyType(m.body, 'DELIVERYNOTIFICATION') &&
      String(m.body.messageId).startsWith(`${prefix}-`),
    { count, timeoutMs: 30_000 },
  )
}

test('an SMSC throttling at its TPS: the connector backs off and loses nothing', async (t) => {
  const loop = await startSmppLoop({ smsc: { maxTps: 8 } })
  t.after(() => loop.close())
  await sendAll(loop, 'burst', 20)
  const throttled = loop.smsc.rejected.filter((r) => r.reason === 'throttled')
  assert.ok(throttled.length > 0, 'the SMSC did throttle')
  assert.equal(loop.smsc.submits.length, 20)
  assert.deepEqual(loop.smsc.duplicates(), [])
  for (let i = 0; i < 20; i++)
    assert.deepEqual(notifications(loop.ccm, `burst-${i}`), ['DELIVERED'])
  assert.deepEqual(await loop.test.host.pipeline.listDead(), [])
})

test('ESME_RMSGQFUL pauses and retries the same way', async (t) => {
  const loop = await startSmppLoop()
  t.after(() => loop.close())
  await until(() => loop.status()?.state === 'running', 'the bind')
  loop.smsc.failNext(3, 0x14)
  await sendAll(loop, 'qfull', 4)
  assert.equal(loop.smsc.rejected.filter((r) => r.reason === 'failNext').length, 3)
  assert.equal(loop.smsc.submits.length, 4)
  assert.deepEqual(loop.smsc.duplicates(), [])
})

test('with SMPP-TPS under the SMSC limit, nothing is refused', async (t) => {
  const loop = await startSmppLoop({ smsc: { maxTps: 15 }, connector: { tps: 10 } })
  t.after(() => loop.close())
  await sendAll(loop, 'paced', 15)
  assert.deepEqual(loop.smsc.rejected, [])
  assert.equal(loop.smsc.submits.length, 15)
})

test('a slow SMSC: submits wait for window slots, each goes out once', async (t) => {
  const loop = await startSmppLoop({ smsc: { responseDelayMs: 150 }, connector: { window: 2 } })
  t.after(() => loop.close())
  await sendAll(loop, 'slow', 8)
  assert.equal(loop.smsc.submits.length, 8)
  assert.deepEqual(loop.smsc.duplicates(), [])
})
