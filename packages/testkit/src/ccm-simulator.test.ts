import assert from 'node:assert/strict'
import { after, afterEach, beforeEach, describe, it } from 'node:test'
import {
  type CimMessage,
  deliveryNotification,
  inboundMessage,
  parseCimMessage,
  text,
} from '@plugboard/sdk'
import { request } from 'undici'
import { type CcmSimulator, startCcmSimulator } from './ccm-simulator.js'
import { listenLoopback } from './simulator-http.js'
import { createRecorder } from './simulator-recorder.js'

const customer = (body = 'hello', id?: string) =>
  inboundMessage({ serviceIdentifier: '1000', customerId: '+15550100', body: text(body), id })

async function post(url: string, body: unknown) {
  const res = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  const raw = await res.body.text()
  return {
    status: res.statusCode,
    headers: res.headers,
    body: raw ? (JSON.parse(raw) as unknown) : raw,
  }
}

/** A stand-in for the host's `/ccm-msg/receive`, recording what the simulator posts. */
async function startFakeHost(status = 200) {
  const received = createRecorder<{ path: string; raw: string }>('fake host requests', (r) => r.raw)
  const server = await listenLoopback({
    fetch: async (req) => {
      received.push({ path: new URL(req.url).pathname, raw: await req.text() })
      return Response.json({ status: 'accepted' }, { status })
    },
  })
  return { url: server.url, received, close: () => server.close() }
}

describe('CCM simulator', () => {
  let ccm: CcmSimulator
  beforeEach(async () => {
    ccm = await startCcmSimulator()
  })
  afterEach(() => ccm.close())

  it('listens on loopback', () => {
    assert.match(ccm.url, /^http:\/\/127\.0\.0\.1:\d+$/)
  })

  it('accepts CIM messages on /message/receive and /ccm/message/receive, in order', async () => {
    const first = customer('one')
    const second = customer('two')
    const a = await post(`${ccm.url}/message/receive`, first)
    const b = await post(`${ccm.url}/ccm/message/receive`, second)
    assert.equal(a.status, 200)
    assert.equal(b.status, 200)
    assert.deepEqual(a.body, { status: 'ok', id: first.id })
    assert.deepEqual(
      ccm.messages.map((m) => m.id),
      [first.id, second.id],
    )
    assert.deepEqual(ccm.messages[0], first)
  })

  it('counts redeliveries of one id', async () => {
    const message = customer()
    await post(`${ccm.url}/message/receive`, message)
    await post(`${ccm.url}/message/receive`, message)
    assert.equal(ccm.received(message.id), 2)
    assert.equal(ccm.received('other'), 0)
  })

  it('answers 400 for a body that is not JSON, and records nothing', async () => {
    const res = await post(`${ccm.url}/message/receive`, '{not json')
    assert.equal(res.status, 400)
    assert.equal(ccm.messages.length, 0)
    assert.equal(ccm.attempts, 1)
  })

  it('answers 400 naming the field for a message that is not CIM', async () => {
    const broken = customer() as { header: { channelData: Record<string, unknown> } }
    delete broken.header.channelData.serviceIdentifier
    const res = await post(`${ccm.url}/message/receive`, broken)
    assert.equal(res.status, 400)
    const body = res.body as { error: { code: string; message: string } }
    assert.equal(body.error.code, 'INVALID_CIM_MESSAGE')
    assert.match(body.error.message, /header\.channelData\.serviceIdentifier/)
    assert.equal(ccm.messages.length, 0)
  })

  it('answers 404 on other paths', async () => {
    assert.equal((await post(`${ccm.url}/nope`, {})).status, 404)
  })

  it('waitFor resolves when a matching message arrives later', async () => {
    const waiting = ccm.waitFor((m) => m.body.markdownText === 'later')
    await post(`${ccm.url}/message/receive`, customer('sooner'))
    await post(`${ccm.url}/message/receive`, customer('later'))
    const [found] = await waiting
    assert.equal(found?.body.markdownText, 'later')
  })

  it('waitFor resolves at once for what is already there, and waits for a count', async () => {
    await post(`${ccm.url}/message/receive`, customer('a'))
    assert.equal((await ccm.waitFor(() => true)).length, 1)
    const two = ccm.waitFor((m) => m.body.type === 'PLAIN', { count: 2 })
    await post(`${ccm.url}/message/receive`, customer('b'))
    assert.equal((await two).length, 2)
  })

  it('waitFor rejects on timeout, listing what was received', async () => {
    await post(`${ccm.url}/message/receive`, customer('only this', 'msg-42'))
    await assert.rejects(
      ccm.waitFor((m) => m.body.markdownText === 'never', { timeoutMs: 50 }),
      (e) => {
        assert.ok(e instanceof Error)
        assert.match(e.message, /timed out after 50 ms/)
        assert.match(e.message, /received 1/)
        assert.match(e.message, /msg-42 PLAIN .*"only this"/)
        return true
      },
    )
  })

  it('close rejects pending waits', async () => {
    const waiting = ccm.waitFor(() => false, { timeoutMs: 60_000 })
    await ccm.close()
    await assert.rejects(waiting, /closed/)
  })

  it('clear forgets messages and attempts', async () => {
    await post(`${ccm.url}/message/receive`, customer())
    ccm.clear()
    assert.equal(ccm.messages.length, 0)
    assert.equal(ccm.attempts, 0)
  })

  it('notifies listeners of each accepted message', async () => {
    const seen: string[] = []
    const listener = (m: CimMessage) => seen.push(m.id)
    ccm.on('message', listener)
    const message = customer()
    await post(`${ccm.url}/message/receive`, message)
    ccm.off('message', listener)
    await post(`${ccm.url}/message/receive`, customer())
    assert.deepEqual(seen, [message.id])
  })
})

describe('CCM simulator failure injection', () => {
  let ccm: CcmSimulator
  beforeEach(async () => {
    ccm = await startCcmSimulator()
  })
  afterEach(() => ccm.close())

  it('down answers 503 with Retry-After and records nothing, until up again', async () => {
    ccm.setMode('down', { retryAfter: 3 })
    const res = await post(`${ccm.url}/message/receive`, customer())
    assert.equal(res.status, 503)
    assert.equal(res.headers['retry-after'], '3')
    assert.equal(ccm.messages.length, 0)
    ccm.setMode('up')
    assert.equal((await post(`${ccm.url}/message/receive`, customer())).status, 200)
    assert.equal(ccm.messages.length, 1)
    assert.equal(ccm.attempts, 2)
  })

  it('down with refuse closes the connection without an answer', async () => {
    ccm.setMode('down', { refuse: true })
    await assert.rejects(post(`${ccm.url}/message/receive`, customer()))
    assert.equal(ccm.messages.length, 0)
    assert.equal(ccm.attempts, 1)
    ccm.setMode('up')
    assert.equal((await post(`${ccm.url}/message/receive`, customer())).status, 200)
  })

  it('error500 answers 500', async () => {
    ccm.setMode('error500')
    const res = await post(`${ccm.url}/message/receive`, customer())
    assert.equal(res.status, 500)
    assert.equal((res.body as { error: { code: string } }).error.code, 'SIMULATED_FAILURE')
    assert.equal(ccm.messages.length, 0)
  })

  it('slow holds the answer, then accepts', async () => {
    ccm.setMode('slow', { delayMs: 150 })
    const started = performance.now()
    const res = await post(`${ccm.url}/message/receive`, customer())
    assert.equal(res.status, 200)
    // Only a lower bound: timers never fire early, but a busy machine may fire them late.
    assert.ok(performance.now() - started >= 140)
    assert.equal(ccm.messages.length, 1)
  })

  it('close does not wait for a slow answer', async () => {
    ccm.setMode('slow', { delayMs: 60_000 })
    const pending = post(`${ccm.url}/message/receive`, customer()).catch((e: unknown) => e)
    await waitUntil(() => ccm.attempts === 1)
    await ccm.close()
    await pending
    assert.equal(ccm.messages.length, 0)
  })

  it('failNext fails exactly n requests with the given status', async () => {
    ccm.failNext(2, 502, { retryAfter: 1 })
    const statuses: number[] = []
    for (let i = 0; i < 3; i++)
      statuses.push((await post(`${ccm.url}/message/receive`, customer())).status)
    assert.deepEqual(statuses, [502, 502, 200])
    assert.equal(ccm.messages.length, 1)
    assert.equal(ccm.attempts, 3)
  })
})

describe('CCM simulator talking to the host', () => {
  const hosts: Array<{ close(): Promise<void> }> = []
  const sims: CcmSimulator[] = []
  after(async () => {
    await Promise.all([...sims.map((s) => s.close()), ...hosts.map((h) => h.close())])
  })

  async function setUp(options: { echo?: boolean; withHost?: boolean } = {}) {
    const host = await startFakeHost()
    hosts.push(host)
    const ccm = await startCcmSimulator({ echo: options.echo })
    sims.push(ccm)
    if (options.withHost !== false) ccm.setHostUrl(`${host.url}/`)
    return { host, ccm }
  }

  it('echo answers a customer PLAIN message with an agent reply through /ccm-msg/receive', async () => {
    const { host, ccm } = await setUp({ echo: true })
    const inbound = customer('hi there')
    inbound.header.channelData.customerFirstName = 'Ann'
    await post(`${ccm.url}/message/receive`, inbound)
    const [request] = await host.received.waitFor(() => true)
    assert.equal(request?.path, '/ccm-msg/receive')
    const parsed = parseCimMessage(JSON.parse(request?.raw ?? ''))
    assert.ok(parsed.ok)
    const reply = parsed.message
    assert.notEqual(reply.id, inbound.id)
    assert.match(reply.id, /^[0-9a-f-]{36}$/)
    assert.deepEqual(
      {
        id: reply.header.sender.id,
        type: reply.header.sender.type,
        name: reply.header.sender.senderName,
      },
      { id: 'demo-agent', type: 'AGENT', name: 'Demo Agent' },
    )
    assert.equal(reply.header.channelData.serviceIdentifier, '1000')
    assert.equal(reply.header.channelData.channelCustomerIdentifier, '+15550100')
    assert.ok(reply.header.customer)
    assert.deepEqual(reply.body, { type: 'PLAIN', markdownText: 'Echo: hi there' })
    await waitUntil(() => ccm.sent[0]?.status === 200)
  })

  it('echo keeps one conversation id per customer and ignores receipts and agents', async () => {
    const { host, ccm } = await setUp({ echo: true })
    const receipt = deliveryNotification({
      messageId: 'm-1',
      status: 'DELIVERED',
      serviceIdentifier: '1000',
      customerId: '+15550100',
    })
    const agent = customer('from an agent')
    agent.header.sender = { id: 'a', type: 'AGENT' }
    await post(`${ccm.url}/message/receive`, receipt)
    await post(`${ccm.url}/message/receive`, agent)
    await post(`${ccm.url}/message/receive`, customer('one'))
    await post(`${ccm.url}/message/receive`, customer('two'))
    const replies = await host.received.waitFor(() => true, { count: 2 })
    const bodies = replies.map((r) => JSON.parse(r.raw) as CimMessage)
    assert.deepEqual(bodies.map((m) => m.body.markdownText).sort(), ['Echo: one', 'Echo: two'])
    assert.equal(bodies[0]?.header.conversationId, bodies[1]?.header.conversationId)
    assert.equal(host.received.items.length, 2)
  })

  it('echo without a host URL is noted in sent, and works once the URL is set', async () => {
    const { host, ccm } = await setUp({ echo: true, withHost: false })
    await post(`${ccm.url}/message/receive`, customer('early'))
    await waitUntil(() => ccm.sent.length === 1)
    assert.match(ccm.sent[0]?.error ?? '', /setHostUrl/)
    ccm.setHostUrl(host.url)
    await post(`${ccm.url}/message/receive`, customer('late'))
    const [request] = await host.received.waitFor(() => true)
    assert.match(request?.raw ?? '', /Echo: late/)
  })

  it('sendOutbound completes a draft into a valid agent message and returns the answer', async () => {
    const { host, ccm } = await setUp()
    const answer = await ccm.sendOutbound({
      serviceIdentifier: '1000',
      customerId: '+15550100',
      text: 'Hello from an agent',
    })
    assert.deepEqual(answer, { status: 200, body: { status: 'accepted' } })
    const [request] = await host.received.waitFor(() => true)
    const parsed = parseCimMessage(JSON.parse(request?.raw ?? ''))
    assert.ok(parsed.ok)
    assert.equal(parsed.message.header.sender.type, 'AGENT')
    assert.deepEqual(parsed.message.body, { type: 'PLAIN', markdownText: 'Hello from an agent' })
  })

  it('sendOutbound sends other objects as they are and strings as raw bytes', async () => {
    const { host, ccm } = await setUp()
    await ccm.sendOutbound({ id: 'x', body: { type: 'PLAIN' } })
    await ccm.sendOutbound('{broken')
    const requests = await host.received.waitFor(() => true, { count: 2 })
    assert.deepEqual(
      requests.map((r) => r.raw),
      ['{"id":"x","body":{"type":"PLAIN"}}', '{broken'],
    )
  })

  it('sendOutbound without a host URL rejects with the fix', async () => {
    const { ccm } = await setUp({ withHost: false })
    await assert.rejects(ccm.sendOutbound('{}'), /setHostUrl/)
  })
})

/** Polls a condition set by I/O the test does not await directly. */
async function waitUntil(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}
