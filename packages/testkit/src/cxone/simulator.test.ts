import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { Hono } from 'hono'
import { type LoopbackServer, listenLoopback } from '../simulator-http.js'
import { startCxoneSimulator } from './simulator.js'
import type { CxoneSimulator } from './types.js'

let cxone: CxoneSimulator
before(async () => {
  cxone = await startCxoneSimulator({ timeoutHoldMs: 100 })
})
after(() => cxone.close())

async function apiToken(): Promise<string> {
  const { accessKeyId, accessKeySecret, clientId, clientSecret } = cxone.credentials
  const res = await fetch(cxone.authUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      username: accessKeyId,
      password: accessKeySecret,
      client_id: clientId,
      client_secret: clientSecret,
    }),
  })
  assert.equal(res.status, 200)
  return ((await res.json()) as { access_token: string }).access_token
}

const newMessage = (overrides: Record<string, unknown> = {}) => ({
  idOnExternalPlatform: crypto.randomUUID(),
  direction: 'inbound',
  createdAtWithMilliseconds: new Date().toISOString(),
  thread: { idOnExternalPlatform: crypto.randomUUID(), threadName: 'Jane' },
  messageContent: { type: 'TEXT', payload: { text: 'hello' } },
  authorEndUserIdentity: { idOnExternalPlatform: '+15550199' },
  ...overrides,
})

const create = async (token: string, body: unknown) =>
  fetch(`${cxone.url}/dfo/3.0/channels/${cxone.channelId}/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })

test('the token endpoint takes an access key with the client in the body or in basic auth', async () => {
  assert.ok(await apiToken())
  const { accessKeyId, accessKeySecret, clientId, clientSecret } = cxone.credentials
  const basic = await fetch(cxone.authUrl, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: `grant_type=password&username=${accessKeyId}&password=${accessKeySecret}`,
  })
  assert.equal(basic.status, 200)
  const wrong = await fetch(cxone.authUrl, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'password',
      username: accessKeyId,
      password: 'x',
      client_id: clientId,
      client_secret: clientSecret,
    }),
  })
  assert.equal(wrong.status, 400)
  assert.equal(((await wrong.json()) as { error: string }).error, 'invalid_grant')
})

test('the DE API checks the bearer token, the body, and answers in CXone shapes', async () => {
  const unauthorised = await create('nope', newMessage())
  assert.equal(unauthorised.status, 401)
  const body = (await unauthorised.json()) as { errors: { errorCode: string }[]; uid: string }
  assert.equal(body.errors[0]!.errorCode, 'Unauthorized')
  assert.ok(body.uid)

  const token = await apiToken()
  const invalid = await create(token, newMessage({ authorEndUserIdentity: {} }))
  assert.equal(invalid.status, 400)
  const problem = (await invalid.json()) as { errors: { field: string }[] }
  assert.equal(problem.errors[0]!.field, 'authorEndUserIdentity.idOnExternalPlatform')

  const message = newMessage()
  const created = await create(token, message)
  assert.equal(created.status, 201)
  const answer = (await created.json()) as { message: { idOnExternalPlatform: string } }
  assert.equal(answer.message.idOnExternalPlatform, message.idOnExternalPlatform)
  assert.equal((await create(token, message)).status, 409)
  assert.equal(cxone.thread(message.thread.idOnExternalPlatform)?.messages.length, 1)

  cxone.expireTokens()
  assert.equal((await create(token, newMessage())).status, 401)
})

test('failures on demand: one-offs, an outage, resets and held timeouts', async () => {
  const token = await apiToken()
  cxone.failNext(1, { status: 429, retryAfter: 3 })
  const throttled = await create(token, newMessage())
  assert.equal(throttled.status, 429)
  assert.equal(throttled.headers.get('retry-after'), '3')
  cxone.setMode('down')
  assert.equal((await create(token, newMessage())).status, 503)
  cxone.setMode('up')
  assert.equal((await create(token, newMessage())).status, 201)
  cxone.failNext(1, { kind: 'reset' })
  await assert.rejects(create(token, newMessage()))
  const committed = newMessage()
  cxone.failNext(1, { kind: 'timeout', commit: true })
  assert.equal((await create(token, committed)).status, 504)
  assert.ok(cxone.messages.some((m) => m.idOnExternalPlatform === committed.idOnExternalPlatform))
  cxone.failNext(1, { on: 'auth', status: 500 })
  await assert.rejects(apiToken())
})

test('a one-time token is verified once, for the ids it was issued to', async () => {
  const token = await apiToken()
  const oneTime = cxone.oneTimeToken({ brandId: 5, userId: 6 })
  const verify = (body: unknown) =>
    fetch(`${cxone.url}/dfo/3.0/one-time-token/verification`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  const ok = await verify({ brandId: 5, userId: 6, token: oneTime, purpose: 'channel-integration' })
  assert.equal(ok.status, 200)
  assert.equal((await verify({ brandId: 5, userId: 6, token: oneTime })).status, 400)
})

test('the agent gets a token from the middleware, and on a 401 gets a new one and retries once', async () => {
  const middleware = await fakeMiddleware()
  cxone.agent.connect({
    boxUrl: `${middleware.server.url}/integration/box`,
    clientId: 'id',
    clientSecret: 'secret',
    tokenBody: 'form',
  })
  const first = await cxone.agent.reply('thread-1', 'hello')
  assert.equal(first.answer.status, 200)
  assert.equal(first.idOnExternalPlatform, 'ext-1')
  assert.equal(cxone.agent.tokenFetches, 1)
  assert.equal(middleware.tokenBodies[0], 'form')
  middleware.revoke()
  const second = await cxone.agent.reply('thread-1', 'after revocation')
  assert.equal(second.answer.status, 200)
  assert.equal(cxone.agent.unauthorized, 1)
  assert.equal(cxone.agent.tokenFetches, 2)
  assert.deepEqual(
    cxone.agent.calls.map((c) => `${c.kind} ${c.status}`),
    ['token 200', 'reply 200', 'reply 401', 'token 200', 'reply 200'],
  )
  assert.equal((await cxone.agent.endThread('thread-1')).status, 200)
  await middleware.server.close()
})

/** Just enough of a BYOC middleware: a token endpoint, replies, and revocation on demand. */
async function fakeMiddleware(): Promise<{
  server: LoopbackServer
  revoke(): void
  tokenBodies: string[]
}> {
  let valid = new Set<string>()
  let n = 0
  const tokenBodies: string[] = []
  const app = new Hono()
  const authorised = (header: string | undefined) =>
    valid.has(header?.replace(/^Bearer /, '') ?? '')
  app.post('/integration/box/1.0/token', async (c) => {
    tokenBodies.push((c.req.header('content-type') ?? '').includes('json') ? 'json' : 'form')
    const token = `t${++n}`
    valid.add(token)
    return c.json({ access_token: token, token_type: 'Bearer', expires_in: 60 })
  })
  app.post('/integration/box/1.0/posts/:id/messages', (c) =>
    authorised(c.req.header('authorization'))
      ? c.json({ idOnExternalPlatform: `ext-${n}` })
      : c.json({ error: { code: 'INVALID_TOKEN', message: 'expired' } }, 401),
  )
  app.post('/integration/box/1.0/posts/:id/close', (c) =>
    authorised(c.req.header('authorization')) ? c.json({}) : c.json({}, 401),
  )
  const server = await listenLoopback({ fetch: (req) => app.fetch(req) })
  return {
    server,
    tokenBodies,
    revoke() {
      valid = new Set()
    },
  }
}
