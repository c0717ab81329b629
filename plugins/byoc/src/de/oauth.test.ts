import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { isPluginError } from '@plugboard/sdk'
import { type CxoneSimulator, createTestContext, startCxoneSimulator } from '@plugboard/testkit'
import { createFakeClock } from '../clock.js'
import { createCxoneOAuth } from './oauth.js'

let cxone: CxoneSimulator
const { request } = createTestContext({})
before(async () => {
  cxone = await startCxoneSimulator({ tokenTtlSeconds: 600 })
})
after(async () => {
  await cxone.close()
})

const oauth = (clock = createFakeClock(), credentials = cxone.credentials) => {
  const { log } = createTestContext({})
  return createCxoneOAuth(
    { authUrl: cxone.authUrl, ...credentials },
    { request, clock, log, timeoutMs: 2_000 },
  )
}

test('one token request serves concurrent callers, and the token is reused until near expiry', async () => {
  const clock = createFakeClock()
  const tokens = oauth(clock)
  const before = cxone.tokenRequests
  const [a, b, c] = await Promise.all([tokens.token(), tokens.token(), tokens.token()])
  assert.equal(cxone.tokenRequests - before, 1)
  assert.ok(a && a === b && b === c)
  await clock.advance(500_000) // 600 s lifetime, refreshed 60 s early
  assert.equal(await tokens.token(), a)
  await clock.advance(41_000)
  const fresh = await tokens.token()
  assert.notEqual(fresh, a)
  assert.equal(cxone.tokenRequests - before, 2)
})

test('an invalidated token is replaced on the next call', async () => {
  const tokens = oauth()
  const first = await tokens.token()
  tokens.invalidate('some-other-token')
  assert.equal(await tokens.token(), first)
  tokens.invalidate(first)
  assert.notEqual(await tokens.token(), first)
})

test('a refused access key is an auth failure that names the fix; an outage is retryable', async () => {
  const wrong = oauth(createFakeClock(), { ...cxone.credentials, accessKeySecret: 'wrong' })
  await assert.rejects(wrong.token(), (error: unknown) => {
    assert.ok(isPluginError(error))
    assert.equal(error.kind, 'auth')
    assert.match(error.message, /invalid_grant/)
    assert.match(error.message, /CXONE_ACCESS_KEY_ID/)
    assert.ok(!error.message.includes('wrong'), 'the secret is not in the message')
    return true
  })
  cxone.failNext(1, { on: 'auth', status: 503 })
  await assert.rejects(
    oauth().token(),
    (error: unknown) => isPluginError(error) && error.kind === 'retryable',
  )
})
