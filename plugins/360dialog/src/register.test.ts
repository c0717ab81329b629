import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { HttpResponse, Logger } from '@plugboard/sdk'
import { type Dialog360Simulator, startDialog360Simulator } from '@plugboard/testkit'
import { setUp360 } from '../test/context.js'
import { type RegistrationState, registerWebhook, webhookUrlProblem } from './register.js'
import { webhookToken } from './signature.js'

const noop = () => {}
const silent: Logger = {
  trace: noop,
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  fatal: noop,
  child: () => silent,
}

function answer(status: number, body = ''): HttpResponse {
  return {
    status,
    headers: {},
    text: async () => body,
    json: async () => JSON.parse(body),
    arrayBuffer: async () => new ArrayBuffer(0),
  }
}

describe('webhookUrlProblem', () => {
  const table: Array<[string, RegExp | undefined]> = [
    ['https://hooks.example.com/webhooks/d360/webhook', undefined],
    ['http://hooks.example.com/webhooks/d360/webhook', /https/],
    ['https://hooks.example.com:8443/webhooks/d360/webhook', /port/],
    ['https://my_hooks.example.com/webhooks/d360/webhook', /"_"/],
    ['https://localhost/webhooks/d360/webhook', /public/],
    ['https://10.0.0.7/webhooks/d360/webhook', /public/],
  ]
  for (const [url, problem] of table) {
    it(`${url} → ${problem ?? 'fine'}`, () => {
      const found = webhookUrlProblem(url)
      if (problem === undefined) assert.equal(found, undefined)
      else assert.match(found ?? '', problem)
    })
  }
})

describe('webhook registration', () => {
  let sim: Dialog360Simulator
  before(async () => {
    sim = await startDialog360Simulator({ channels: [{ phoneNumber: '15550783881' }] })
  })
  after(() => sim.close())

  it('registers URL and token header at start, and reports up once done', async () => {
    const { connector, config } = await setUp360({
      apiKey: sim.channel.apiKey,
      hostUrl: sim.url,
      webhookToken: undefined,
      registerWebhook: true,
      webhookBaseUrl: 'https://hooks.example.com/webhooks/d360',
    })
    const [registration] = await sim.waitForRegistration((r) => r.url.includes('hooks.example.com'))
    assert.equal(registration?.url, 'https://hooks.example.com/webhooks/d360/webhook')
    assert.deepEqual(registration?.headers, { 'X-Plugboard-Token': webhookToken(config) })
    await connector.stop?.()
    // The state is set right after the answer; stop() waited for it.
    assert.equal(connector.health?.().state, 'up')
  })

  it('does not register unless asked to', async () => {
    const before = sim.registrations.length
    const { connector } = await setUp360({ apiKey: sim.channel.apiKey, hostUrl: sim.url })
    await connector.stop?.()
    assert.equal(sim.registrations.length, before)
    assert.equal(connector.health?.().state, 'up')
  })

  it('refuses to register a URL 360dialog cannot call, and says what to set', async () => {
    const { connector, ctx } = await setUp360(
      { apiKey: sim.channel.apiKey, hostUrl: sim.url, registerWebhook: true },
      { publicUrl: 'http://localhost:8080' },
    )
    await connector.stop?.()
    const health = connector.health?.()
    assert.equal(health?.state, 'degraded')
    assert.match(health?.detail ?? '', /PUBLIC_URL|WEBHOOK-BASE-URL/)
    assert.ok(ctx.logs.some((l) => l.level === 'error'))
  })

  it('retries through an outage with backoff, then registers', async () => {
    const states: RegistrationState[] = []
    let calls = 0
    const controller = new AbortController()
    await registerWebhook({
      request: async (url, options) => {
        calls++
        if (calls <= 2) return answer(calls === 1 ? 503 : 401, '{"error":"down"}')
        const res = await fetch(url, {
          method: options?.method ?? 'GET',
          headers: options?.headers ?? {},
          body: options?.body as string,
        })
        return answer(res.status, await res.text())
      },
      log: silent,
      url: `${sim.url}/v1/configs/webhook`,
      apiKey: sim.channel.apiKey,
      webhook: { url: 'https://hooks.example.com/retry', headers: {} },
      timeoutMs: 5000,
      signal: controller.signal,
      onState: (s) => states.push(s),
      backoff: { firstMs: 1, maxMs: 5 },
    })
    assert.equal(calls, 3)
    assert.deepEqual(
      states.map((s) => s.state),
      ['pending', 'pending', 'ok'],
    )
    assert.ok(sim.registrations.some((r) => r.url === 'https://hooks.example.com/retry'))
  })

  it('gives up on a refusal that retrying cannot fix', async () => {
    const states: RegistrationState[] = []
    await registerWebhook({
      request: async () =>
        answer(400, JSON.stringify({ error: { message: 'bad url', code: 100 } })),
      log: silent,
      url: `${sim.url}/v1/configs/webhook`,
      apiKey: 'k',
      webhook: { url: 'https://hooks.example.com/x', headers: {} },
      timeoutMs: 5000,
      signal: new AbortController().signal,
      onState: (s) => states.push(s),
    })
    assert.deepEqual(
      states.map((s) => s.state),
      ['failed'],
    )
  })

  it('stops retrying when the connector stops', async () => {
    const controller = new AbortController()
    let calls = 0
    const done = registerWebhook({
      request: async () => {
        calls++
        controller.abort()
        return answer(503)
      },
      log: silent,
      url: 'https://unused.test/v1/configs/webhook',
      apiKey: 'k',
      webhook: { url: 'https://hooks.example.com/x', headers: {} },
      timeoutMs: 5000,
      signal: controller.signal,
      onState: () => {},
      backoff: { firstMs: 60_000, maxMs: 60_000 },
    })
    await done
    assert.equal(calls, 1)
  })
})
