import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type CxoneSimulator, startCxoneSimulator } from '@plugboard/testkit'
import { type ByocHarness, customerSays, setUpByoc } from '../../test/harness.js'

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

const until = async (check: () => boolean | Promise<boolean>, what: string) => {
  const deadline = Date.now() + 5_000
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

test('the action URL answers at once (back to CXone) and confirms the one-time token afterwards', async () => {
  const token = cxone.oneTimeToken({ brandId: 11, userId: 22 })
  const res = await byoc.call('GET', '/integration/action', {
    query: `userId=22&brandId=11&token=${token}&backUrl=${encodeURIComponent('https://cxone.test/back')}`,
  })
  assert.equal(res.status, 302)
  assert.equal(res.headers.get('location'), 'https://cxone.test/back')
  await until(async () => (await byoc.ctx.store.get('integration')) !== undefined, 'verification')
  assert.deepEqual(
    Object.keys((await byoc.ctx.store.get<Record<string, unknown>>('integration'))!).sort(),
    ['brandId', 'userId', 'verifiedAt'],
  )
  assert.ok(!JSON.stringify(byoc.ctx.logs).includes(token), 'one-time tokens are not logged')
  const bare = await byoc.call('GET', '/integration/action')
  assert.equal(bare.status, 400)
})

test('Remove and Reconnect with a one-time token take effect only once CXone confirms it', async () => {
  const forged = await byoc.call('GET', '/integration/remove', {
    query: 'userId=1&brandId=2&token=forged',
  })
  assert.equal(forged.status, 202)
  await until(
    () => byoc.ctx.logs.some((l) => /did not confirm the one-time token/.test(l.msg ?? '')),
    'the refusal',
  )
  assert.equal(byoc.connector.health?.().state, 'up')

  const token = cxone.oneTimeToken({ brandId: 2, userId: 1 })
  const removed = await byoc.call('GET', '/integration/remove', {
    query: `userId=1&brandId=2&token=${token}`,
  })
  assert.equal(removed.status, 202)
  await until(() => byoc.connector.health?.().state === 'degraded', 'the removal')
  const reconnect = await byoc.call('POST', '/integration/reconnect', {
    body: JSON.stringify({
      userId: 1,
      brandId: 2,
      token: cxone.oneTimeToken({ brandId: 2, userId: 1 }),
    }),
    headers: { 'content-type': 'application/json' },
  })
  assert.equal(reconnect.status, 202)
  await until(() => byoc.connector.health?.().state === 'up', 'the reconnection')
  assert.equal((await byoc.call('POST', '/integration/remove')).status, 401)
  const other = await byoc.call('DELETE', '/integration/remove', { query: 'channelId=not-ours' })
  assert.equal(other.status, 404)
})

test('closing a thread needs a bearer token and a known thread; closing twice is fine', async () => {
  const threadId = await customerSays(byoc, 'close me')
  const path = `/integration/box/1.0/posts/${threadId}/close`
  assert.equal((await byoc.call('POST', path)).status, 401)
  assert.equal((await byoc.post('/integration/box/1.0/posts/unknown/close', {})).status, 404)
  assert.equal((await byoc.post(path, {})).status, 200)
  assert.equal((await byoc.post(path, {})).status, 200)
})
