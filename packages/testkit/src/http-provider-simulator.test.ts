import assert from 'node:assert/strict'
import { after, afterEach, describe, it } from 'node:test'
import { signBody, verifySignature } from '@plugboard/plugin-generic-http'
import { request } from 'undici'
import {
  type HttpProviderSimulator,
  type HttpProviderSimulatorOptions,
  startHttpProviderSimulator,
} from './http-provider-simulator.js'
import { listenLoopback } from './simulator-http.js'
import { createRecorder } from './simulator-recorder.js'

const outbound = (text = 'hello', id = 'idem-1') =>
  JSON.stringify({ id, to: '+15550100', from: '1000', type: 'PLAIN', text })

async function send(
  sim: HttpProviderSimulator,
  body: string,
  headers: Record<string, string> = {},
) {
  const res = await request(sim.outboundUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  })
  const raw = await res.body.text()
  return { status: res.statusCode, headers: res.headers, body: JSON.parse(raw) as unknown }
}

interface HostRequest {
  path: string
  raw: string
  signature: string | null
}

/** A stand-in for the host's `/webhooks/<connector>` routes, recording what the simulator posts. */
async function startFakeHost() {
  const received = createRecorder<HostRequest>('fake host requests', (r) => `${r.path} ${r.raw}`)
  const server = await listenLoopback({
    fetch: async (req) => {
      const path = new URL(req.url).pathname
      const signature = req.headers.get('x-plugboard-signature')
      received.push({ path, raw: await req.text(), signature })
      return Response.json({ status: 'accepted', id: 'cim-1' })
    },
  })
  return { webhookBase: `${server.url}/webhooks/conn-1`, received, close: () => server.close() }
}

const opened: Array<{ close(): Promise<void> }> = []
after(() => Promise.all(opened.map((o) => o.close())))

async function setUp(options: HttpProviderSimulatorOptions = {}) {
  const host = await startFakeHost()
  const sim = await startHttpProviderSimulator({ webhookBase: host.webhookBase, ...options })
  opened.push(host, sim)
  return { host, sim }
}

describe('provider simulator: outbound', () => {
  it('accepts a POST to /messages with 201 and a provider id, and records it', async () => {
    const { sim } = await setUp()
    assert.equal(sim.outboundUrl, `${sim.url}/messages`)
    const res = await send(sim, outbound('hi'), { 'idempotency-key': 'k-1' })
    assert.equal(res.status, 201)
    assert.deepEqual(res.body, { id: 'prov-1' })
    assert.deepEqual(sim.messages, [
      {
        id: 'idem-1',
        to: '+15550100',
        from: '1000',
        type: 'PLAIN',
        text: 'hi',
        providerId: 'prov-1',
        idempotencyKey: 'k-1',
        duplicate: false,
      },
    ])
  })

  it('answers a repeated idempotency key with the same id and marks it a duplicate', async () => {
    const { sim } = await setUp()
    const a = await send(sim, outbound('x', 'same'))
    const b = await send(sim, outbound('x', 'same'))
    const c = await send(sim, outbound('y', 'other'))
    assert.deepEqual(
      [a.body, b.body, c.body],
      [{ id: 'prov-1' }, { id: 'prov-1' }, { id: 'prov-2' }],
    )
    assert.deepEqual(
      sim.messages.map((m) => m.duplicate),
      [false, true, false],
    )
    assert.equal(sim.received('same'), 2)
    assert.equal(sim.received('other'), 1)
  })

  it('answers 400 for a body that is not JSON', async () => {
    const { sim } = await setUp()
    assert.equal((await send(sim, '{oops')).status, 400)
    assert.equal(sim.messages.length, 0)
  })

  it('with a secret, accepts only correctly signed bodies', async () => {
    const { sim } = await setUp({ secret: 'shh' })
    const body = outbound()
    const unsigned = await send(sim, body)
    assert.equal(unsigned.status, 403)
    assert.equal((unsigned.body as { error: { code: string } }).error.code, 'BAD_SIGNATURE')
    const wrong = await send(sim, body, { 'x-plugboard-signature': signBody('nope', body) })
    assert.equal(wrong.status, 403)
    const ok = await send(sim, body, { 'x-plugboard-signature': signBody('shh', body) })
    assert.equal(ok.status, 201)
    assert.equal(sim.messages.length, 1)
    assert.equal(sim.attempts, 3)
  })

  it('waitFor resolves on arrival and rejects on timeout with what arrived', async () => {
    const { sim } = await setUp()
    const waiting = sim.waitFor((m) => m.text === 'second')
    await send(sim, outbound('first', 'a'))
    await send(sim, outbound('second', 'b'))
    assert.equal((await waiting)[0]?.providerId, 'prov-2')
    await assert.rejects(
      sim.waitFor((m) => m.text === 'never', { timeoutMs: 30 }),
      (e) => {
        assert.ok(e instanceof Error)
        assert.match(e.message, /received 2/)
        assert.match(e.message, /prov-1 PLAIN 1000 → \+15550100 "first"/)
        return true
      },
    )
  })

  it('notifies listeners and forgets everything on clear', async () => {
    const { sim } = await setUp()
    const seen: string[] = []
    sim.on('message', (m) => seen.push(m.text ?? ''))
    await send(sim, outbound('one'))
    assert.deepEqual(seen, ['one'])
    sim.clear()
    assert.deepEqual([sim.messages.length, sim.attempts, sim.receipts.length], [0, 0, 0])
  })
})

describe('provider simulator: failure injection', () => {
  let sim: HttpProviderSimulator
  afterEach(() => sim.close())

  it('failNext answers n requests with the status, Retry-After and error code', async () => {
    sim = await startHttpProviderSimulator()
    sim.failNext(2, 429, { retryAfter: 2, code: 'RATE_LIMITED' })
    const first = await send(sim, outbound())
    assert.equal(first.status, 429)
    assert.equal(first.headers['retry-after'], '2')
    assert.equal((first.body as { error: { code: string } }).error.code, 'RATE_LIMITED')
    assert.equal((await send(sim, outbound())).status, 429)
    assert.equal((await send(sim, outbound())).status, 201)
    assert.equal(sim.messages.length, 1)
  })

  it('down answers 503 until up again', async () => {
    sim = await startHttpProviderSimulator()
    sim.setMode('down', { retryAfter: 5 })
    const res = await send(sim, outbound())
    assert.equal(res.status, 503)
    assert.equal(res.headers['retry-after'], '5')
    sim.setMode('up')
    assert.equal((await send(sim, outbound())).status, 201)
  })

  it('down with refuse closes connections without an answer', async () => {
    sim = await startHttpProviderSimulator()
    sim.setMode('down', { refuse: true })
    await assert.rejects(send(sim, outbound()))
    assert.equal(sim.attempts, 1)
    assert.equal(sim.messages.length, 0)
  })

  it('setDelay holds answers', async () => {
    sim = await startHttpProviderSimulator()
    sim.setDelay(120)
    const started = performance.now()
    assert.equal((await send(sim, outbound())).status, 201)
    // Only a lower bound: timers never fire early, but a busy machine may fire them late.
    assert.ok(performance.now() - started >= 110)
  })
})

describe('provider simulator: toward the connector', () => {
  it('sendInbound posts a signed message to {webhookBase}/message', async () => {
    const { host, sim } = await setUp({ secret: 'shh' })
    const answer = await sim.sendInbound({ from: '+15550100', to: '1000', text: 'hello' })
    assert.deepEqual(answer, { status: 200, body: { status: 'accepted', id: 'cim-1' } })
    const [req] = await host.received.waitFor(() => true)
    assert.ok(req)
    assert.equal(req.path, '/webhooks/conn-1/message')
    assert.ok(verifySignature('shh', new TextEncoder().encode(req.raw), req.signature))
    const body = JSON.parse(req.raw) as Record<string, unknown>
    assert.equal(body.text, 'hello')
    assert.equal(typeof body.id, 'string')
  })

  it('sendInbound keeps a given id, sends unsigned without a secret, and can forge signatures', async () => {
    const { host, sim } = await setUp()
    await sim.sendInbound({ id: 'mine', from: 'a', to: 'b', text: 't' })
    await sim.sendInbound('{raw', { signature: 'sha256=00' })
    const [plain, forged] = await host.received.waitFor(() => true, { count: 2 })
    assert.equal(plain?.signature, null)
    assert.equal((JSON.parse(plain?.raw ?? '') as { id: string }).id, 'mine')
    assert.deepEqual([forged?.raw, forged?.signature], ['{raw', 'sha256=00'])
  })

  it('sendInbound can leave out the signature despite a secret', async () => {
    const { host, sim } = await setUp({ secret: 'shh' })
    await sim.sendInbound({ from: 'a', to: 'b', text: 't' }, { signature: null })
    const [req] = await host.received.waitFor(() => true)
    assert.equal(req?.signature, null)
  })

  it('sendStatus posts a signed receipt to {webhookBase}/status', async () => {
    const { host, sim } = await setUp({ secret: 'shh' })
    await sim.sendStatus('prov-9', 'failed', { reason: 'unreachable', code: 30003 })
    const [req] = await host.received.waitFor(() => true)
    assert.equal(req?.path, '/webhooks/conn-1/status')
    assert.deepEqual(JSON.parse(req?.raw ?? ''), {
      id: 'prov-9',
      status: 'failed',
      reason: 'unreachable',
      code: 30003,
    })
    assert.ok(verifySignature('shh', new TextEncoder().encode(req?.raw ?? ''), req?.signature))
    assert.equal(sim.receipts[0]?.answer?.status, 200)
  })

  it('autoReceipts follow each newly accepted message, in order', async () => {
    const { host, sim } = await setUp({ autoReceipts: ['delivered', 'read'], receiptDelayMs: 1 })
    await send(sim, outbound('x', 'k'))
    await send(sim, outbound('x', 'k'))
    const receipts = await host.received.waitFor((r) => r.path.endsWith('/status'), { count: 2 })
    assert.deepEqual(
      receipts.map((r) => JSON.parse(r.raw) as unknown),
      [
        { id: 'prov-1', status: 'delivered' },
        { id: 'prov-1', status: 'read' },
      ],
    )
    await sim.close()
    assert.equal(host.received.items.length, 2, 'the duplicate sent no receipts')
  })

  it('rejects sends toward the connector without a webhook base', async () => {
    const sim = await startHttpProviderSimulator()
    opened.push(sim)
    await assert.rejects(sim.sendInbound({ from: 'a', to: 'b', text: 't' }), /setWebhookBase/)
  })
})
