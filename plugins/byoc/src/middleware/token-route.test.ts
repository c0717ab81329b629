import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type CxoneSimulator, startCxoneSimulator } from '@plugboard/testkit'
import { type ByocHarness, MIDDLEWARE, setUpByoc } from '../../test/harness.js'

const TOKEN = '/integration/box/1.0/token'
const REPLY = '/integration/box/1.0/posts/nope/messages'

let cxone: CxoneSimulator
let byoc: ByocHarness
before(async () => {
  cxone = await startCxoneSimulator()
  byoc = await setUpByoc({ cxone, config: { tokenTtlSeconds: 600 } })
})
after(async () => {
  await byoc.close()
  await cxone.close()
})

const json = (body: unknown) => ({
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json' },
})
const credentials = {
  grant_type: 'client_credentials',
  client_id: MIDDLEWARE.clientId,
  client_secret: MIDDLEWARE.clientSecret,
}

test('client credentials in JSON, a form or basic auth get a bearer token that expires', async () => {
  const asJson = await byoc.call('POST', TOKEN, json(credentials))
  assert.equal(asJson.status, 200)
  assert.equal(asJson.headers.get('cache-control'), 'no-store')
  const answer = (await asJson.json()) as Record<string, unknown>
  assert.equal(answer.token_type, 'Bearer')
  assert.equal(answer.expires_in, 600)
  assert.ok(typeof answer.access_token === 'string' && answer.access_token.length >= 40)

  const asForm = await byoc.call('POST', TOKEN, {
    body: new URLSearchParams(credentials).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  })
  assert.equal(asForm.status, 200)
  const basic = Buffer.from(`${MIDDLEWARE.clientId}:${MIDDLEWARE.clientSecret}`).toString('base64')
  const asBasic = await byoc.call('POST', TOKEN, {
    body: 'grant_type=client_credentials',
    headers: {
      authorization: `Basic ${basic}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
  })
  assert.equal(asBasic.status, 200)
})

test('a wrong grant or client is refused with an OAuth error and the host error shape', async () => {
  const grant = await byoc.call('POST', TOKEN, json({ ...credentials, grant_type: 'password' }))
  assert.equal(grant.status, 400)
  const body = (await grant.json()) as { error: { code: string }; error_description: string }
  assert.equal(body.error.code, 'unsupported_grant_type')
  assert.ok(body.error_description)
  const client = await byoc.call('POST', TOKEN, json({ ...credentials, client_secret: 'guess' }))
  assert.equal(client.status, 401)
  assert.equal(((await client.json()) as { error: { code: string } }).error.code, 'invalid_client')
  assert.ok(!JSON.stringify(byoc.ctx.logs).includes(MIDDLEWARE.clientSecret))
})

test('a token is good until it expires; then CXone gets 401 and a WWW-Authenticate hint', async () => {
  const token = await byoc.token()
  const live = await byoc.post(
    REPLY,
    { messageContent: { type: 'TEXT', payload: { text: 'x' } } },
    token,
  )
  assert.equal(live.status, 404, 'authorised: the unknown thread is the problem')
  await byoc.clock.advance(600_000)
  const expired = await byoc.post(REPLY, {}, token)
  assert.equal(expired.status, 401)
  assert.match(expired.headers.get('www-authenticate') ?? '', /invalid_token/)
  const { error } = (await expired.json()) as { error: { code: string; message: string } }
  assert.equal(error.code, 'INVALID_TOKEN')
  assert.match(error.message, /expired/)
  const missing = await byoc.call('POST', REPLY, json({}))
  assert.equal(missing.status, 401)
  const forged = await byoc.post(REPLY, {}, 'made-up-token')
  assert.equal(forged.status, 401)
})

test('replicas sharing the store accept each other’s tokens; a rotated secret revokes them', async () => {
  const token = await byoc.token()
  const replica = await setUpByoc({ cxone, store: byoc.ctx.store })
  assert.equal((await replica.post(REPLY, {}, token)).status, 404, 'accepted: unknown thread')
  const rotated = await setUpByoc({
    cxone,
    store: byoc.ctx.store,
    config: { middlewareClientSecret: 'a-new-middleware-secret-0001' },
  })
  assert.equal((await rotated.post(REPLY, {}, token)).status, 401)
  await replica.close()
  await rotated.close()
})
