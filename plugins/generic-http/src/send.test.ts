import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  type CimBody,
  type CimMessage,
  inboundMessage,
  PluginError,
  type SendInfo,
  text,
} from '@plugboard/sdk'
import { fakeContext, type ScriptedResponse } from '../test/fake-context.js'
import type { GenericHttpConfig } from './config.js'
import plugin from './index.js'
import { signBody } from './signature.js'

const config: GenericHttpConfig = {
  outboundUrl: 'https://far.test/messages?token=t0p',
  timeoutMs: 1234,
}
const info: SendInfo = { attempt: 1, idempotencyKey: 'idem-1' }

function agentMessage(body: CimBody = text('hello')): CimMessage {
  return inboundMessage({ serviceIdentifier: 'svc-1', customerId: 'cust-1', body })
}

async function setUp(overrides: Partial<GenericHttpConfig> = {}, answer?: ScriptedResponse) {
  const fake = fakeContext({
    config: { ...config, ...overrides },
    ...(answer ? { respond: () => answer } : {}),
  })
  const connector = await plugin.setup(fake.ctx)
  return { fake, connector }
}

async function sendError(answer: ScriptedResponse): Promise<PluginError> {
  const { connector } = await setUp({}, answer)
  const error = await connector.send(agentMessage(), info).then(
    () => assert.fail('send resolved'),
    (e: unknown) => e,
  )
  assert.ok(error instanceof PluginError)
  return error
}

describe('send', () => {
  it('POSTs the JSON with the idempotency key and returns the provider id', async () => {
    const { fake, connector } = await setUp({}, { status: 201, body: { id: 'prov-7' } })
    const result = await connector.send(agentMessage(), info)
    assert.deepEqual(result, { providerMessageId: 'prov-7', status: 'sent' })
    const [req] = fake.requests
    assert.ok(req)
    assert.equal(req.url, config.outboundUrl)
    assert.equal(req.method, 'POST')
    assert.equal(req.timeoutMs, 1234)
    assert.equal(req.headers['content-type'], 'application/json')
    assert.equal(req.headers['idempotency-key'], 'idem-1')
    assert.equal(req.headers['X-Plugboard-Signature'], undefined)
    assert.deepEqual(JSON.parse(req.body), {
      id: 'idem-1',
      to: 'cust-1',
      from: 'svc-1',
      type: 'PLAIN',
      text: 'hello',
    })
  })

  it('signs the exact body it sends when a secret is set', async () => {
    const { fake, connector } = await setUp({ sharedSecret: 'out-secret' })
    await connector.send(agentMessage(), info)
    const [req] = fake.requests
    assert.ok(req)
    assert.equal(req.headers['X-Plugboard-Signature'], signBody('out-secret', req.body))
  })

  it('accepts a numeric provider id', async () => {
    const { connector } = await setUp({}, { status: 200, body: { id: 42 } })
    assert.equal((await connector.send(agentMessage(), info)).providerMessageId, '42')
  })

  it('falls back to the idempotency key when the answer has no id', async () => {
    const { fake, connector } = await setUp({}, { status: 204 })
    assert.equal((await connector.send(agentMessage(), info)).providerMessageId, 'idem-1')
    assert.ok(fake.logs.some((l) => l.level === 'warn'))
  })

  it('does not call out for a body type it cannot carry', async () => {
    const { fake, connector } = await setUp()
    const typing = agentMessage({ type: 'NOTIFICATION', notificationType: 'TYPING_STARTED' })
    const result = await connector.send(typing, info)
    assert.match(result.ignored ?? '', /TYPING_STARTED/)
    assert.equal(fake.requests.length, 0)
    assert.ok(fake.logs.some((l) => l.level === 'debug'))
  })

  it('lets the HTTP client’s retryable errors through', async () => {
    const { fake, connector } = await setUp()
    const timeout = PluginError.retryable('TIMEOUT', 'timed out')
    fake.respond(() => Promise.reject(timeout))
    await assert.rejects(connector.send(agentMessage(), info), (e) => e === timeout)
  })
})

describe('send error classification', () => {
  const cases: Array<[number, PluginError['kind'], string]> = [
    [500, 'retryable', 'PROVIDER_UNAVAILABLE'],
    [502, 'retryable', 'PROVIDER_UNAVAILABLE'],
    [503, 'retryable', 'PROVIDER_UNAVAILABLE'],
    [408, 'retryable', 'PROVIDER_UNAVAILABLE'],
    [429, 'retryable', 'PROVIDER_THROTTLED'],
    [401, 'auth', 'PROVIDER_AUTH'],
    [403, 'auth', 'PROVIDER_AUTH'],
    [400, 'terminal', 'PROVIDER_REJECTED'],
    [404, 'terminal', 'PROVIDER_REJECTED'],
    [422, 'terminal', 'PROVIDER_REJECTED'],
  ]
  for (const [status, kind, code] of cases) {
    it(`${status} → ${kind}`, async () => {
      const error = await sendError({ status })
      assert.equal(error.kind, kind)
      assert.equal(error.code, code)
      assert.equal(error.status, status)
    })
  }

  it('honours Retry-After in seconds', async () => {
    const error = await sendError({ status: 429, headers: { 'Retry-After': '7' } })
    assert.equal(error.retryAfterMs, 7000)
  })

  it('takes the provider code from error.code', async () => {
    const body = { error: { code: 'INVALID_NUMBER', message: 'no such number' } }
    const error = await sendError({ status: 400, body })
    assert.equal(error.providerCode, 'INVALID_NUMBER')
    assert.match(error.message, /no such number/)
  })

  it('takes the provider code from a top-level code', async () => {
    const error = await sendError({ status: 503, body: { code: 21611, message: 'busy' } })
    assert.equal(error.providerCode, '21611')
  })

  it('copes with a body that is not JSON', async () => {
    const error = await sendError({ status: 502, body: '<html>Bad gateway</html>' })
    assert.equal(error.providerCode, undefined)
    assert.equal(error.kind, 'retryable')
  })

  it('keeps the URL’s query out of the error message', async () => {
    const error = await sendError({ status: 500 })
    assert.doesNotMatch(error.message, /t0p/)
    assert.match(error.message, /far\.test\/messages/)
  })
})
