import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { type LoopbackServer, listenLoopback } from '../simulator-http.js'
import { GRAPH_ERRORS } from './errors.js'
import { metaJson, signGraphWebhook } from './signing.js'
import { startGraphSimulator } from './simulator.js'
import type { GraphSimulator } from './types.js'

interface Received {
  method: string
  url: URL
  headers: Headers
  body: string
}

/** A stand-in connector that records what the simulator sends and answers like one. */
async function startReceiver(): Promise<LoopbackServer & { received: Received[] }> {
  const received: Received[] = []
  const server = await listenLoopback({
    fetch: async (req) => {
      const url = new URL(req.url)
      received.push({ method: req.method, url, headers: req.headers, body: await req.text() })
      if (req.method === 'GET') {
        const ok = url.searchParams.get('hub.verify_token') === 'the-token'
        return ok
          ? new Response(url.searchParams.get('hub.challenge'), {
              headers: { 'content-type': 'text/plain' },
            })
          : new Response('no', { status: 403 })
      }
      return new Response('EVENT_RECEIVED')
    },
  })
  return Object.assign(server, { received })
}

interface PostedAttachment {
  payload: { url: string; coordinates: { lat: number }; sticker_id: number }
}
interface GraphEventPost {
  message: { is_echo: boolean; mid: string }
  delivery: { watermark: number }
  read: { watermark: number }
}

const PAGE = '100200300400500'
const TOKEN = 'EAAsimulatortest0123456789'

describe('Graph API simulator', () => {
  let sim: GraphSimulator
  let receiver: Awaited<ReturnType<typeof startReceiver>>

  before(async () => {
    receiver = await startReceiver()
    sim = await startGraphSimulator({
      pages: [{ id: PAGE, accessToken: TOKEN }],
      appSecret: 'sim-secret',
      webhookUrl: `${receiver.url}/webhooks/fb/webhook`,
    })
  })
  after(async () => {
    await sim.close()
    await receiver.close()
  })

  const send = (body: unknown, token: string | null = TOKEN, node = 'me') =>
    fetch(`${sim.apiBaseUrl}/${node}/messages${token === null ? '' : `?access_token=${token}`}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  const graphError = async (res: Response) =>
    (
      (await res.json()) as {
        error: { code: number; error_subcode?: number; type: string; fbtrace_id: string }
      }
    ).error

  it('posts signed customer messages in Meta’s JSON, and the signature is over those bytes', async () => {
    const psid = sim.newPsid()
    const posted = await sim.sendText({ psid, text: 'Olá 👋 https://x.example/a' })
    assert.equal(posted.answer?.status, 200)
    const got = receiver.received.at(-1)!
    assert.equal(got.body, posted.body)
    assert.match(got.body, /Ol\\u00e1 \\ud83d\\udc4b https:\\\/\\\/x\.example\\\/a/)
    const expected = `sha256=${createHmac('sha256', 'sim-secret').update(got.body).digest('hex')}`
    assert.equal(got.headers.get('x-hub-signature-256'), expected)
    assert.match(got.headers.get('x-hub-signature') ?? '', /^sha1=[0-9a-f]{40}$/)
    const parsed = JSON.parse(got.body)
    assert.equal(parsed.object, 'page')
    assert.equal(parsed.entry[0].id, PAGE)
    const event = parsed.entry[0].messaging[0]
    assert.deepEqual(event.sender, { id: psid })
    assert.deepEqual(event.recipient, { id: PAGE })
    assert.equal(event.message.text, 'Olá 👋 https://x.example/a')
    assert.equal(event.message.mid, posted.mid)
    assert.equal(signGraphWebhook('sim-secret', metaJson(parsed)), expected)
  })

  it('sends forged and unsigned webhooks on request', async () => {
    await sim.sendText({ psid: sim.newPsid(), text: 'x' }, { signature: null })
    assert.equal(receiver.received.at(-1)!.headers.get('x-hub-signature-256'), null)
    await sim.sendText({ psid: sim.newPsid(), text: 'x' }, { appSecret: 'other' })
    const got = receiver.received.at(-1)!
    assert.notEqual(
      got.headers.get('x-hub-signature-256'),
      signGraphWebhook('sim-secret', got.body),
    )
  })

  it('makes the verification GET with the hub parameters', async () => {
    const ok = await sim.verify({ verifyToken: 'the-token', challenge: '42' })
    assert.deepEqual([ok.status, ok.body], [200, '42'])
    const got = receiver.received.at(-1)!
    assert.equal(got.method, 'GET')
    assert.equal(got.url.searchParams.get('hub.mode'), 'subscribe')
    assert.equal((await sim.verify({ verifyToken: 'wrong' })).status, 403)
  })

  it('serves attachments through a lookaside redirect to a signed CDN URL', async () => {
    const posted = await sim.sendAttachments({
      psid: sim.newPsid(),
      attachments: [
        {
          type: 'file',
          contentType: 'application/pdf',
          content: '%PDF-1.4',
          fileName: 'invoice.pdf',
        },
        { type: 'location', latitude: 1.5, longitude: 2.5 },
        { type: 'sticker' },
      ],
    })
    const [file, location, sticker] = (
      JSON.parse(posted.body) as {
        entry: Array<{ messaging: Array<{ message: { attachments: PostedAttachment[] } }> }>
      }
    ).entry[0]!.messaging[0]!.message.attachments
    assert.equal(location!.payload.coordinates.lat, 1.5)
    assert.equal(sticker!.payload.sticker_id, 369239263222822)
    const first = await fetch(file!.payload.url, { redirect: 'manual' })
    assert.equal(first.status, 302)
    const cdn = first.headers.get('location')!
    assert.match(new URL(cdn).pathname, /\/invoice\.pdf$/)
    const content = await fetch(cdn)
    assert.equal(content.headers.get('content-type'), 'application/pdf')
    assert.equal(await content.text(), '%PDF-1.4')
    const forged = new URL(cdn)
    forged.searchParams.set('oh', 'nope')
    assert.equal((await fetch(forged)).status, 403)
  })

  it('accepts a send from a known customer with Meta’s answer, and records it', async () => {
    const psid = sim.newPsid()
    await sim.sendText({ psid, text: 'hi' })
    const res = await send({
      recipient: { id: psid },
      messaging_type: 'RESPONSE',
      message: { text: 'Hello!' },
    })
    assert.equal(res.status, 200)
    const answer = (await res.json()) as { recipient_id: string; message_id: string }
    assert.equal(answer.recipient_id, psid)
    assert.match(answer.message_id, /^m_[\w-]+$/)
    const [sent] = await sim.waitFor((m) => m.mid === answer.message_id)
    assert.equal(sent?.text, 'Hello!')
    assert.equal(sent?.pageId, PAGE)
    const byPage = await send(
      { recipient: { id: psid }, messaging_type: 'RESPONSE', message: { text: 'again' } },
      TOKEN,
      PAGE,
    )
    assert.equal(byPage.status, 200)
  })

  it('records sender actions apart from messages', async () => {
    const psid = sim.newPsid()
    await sim.sendText({ psid, text: 'hi' })
    const res = await send({ recipient: { id: psid }, sender_action: 'typing_on' })
    assert.deepEqual(await res.json(), { recipient_id: psid })
    const [action] = await sim.waitForActions((a) => a.recipientId === psid)
    assert.equal(action?.action, 'typing_on')
  })

  const refusals: Array<[string, () => Promise<Response>, number, number?]> = [
    ['no token', () => send({}, null), 190],
    ['a wrong token', () => send({}, 'EAAwrong'), 190],
    ['no recipient', () => send({ messaging_type: 'RESPONSE', message: { text: 'x' } }), 100],
    ['no messaging_type', () => send({ recipient: { id: '1' }, message: { text: 'x' } }), 100],
    [
      'MESSAGE_TAG without a tag',
      () => send({ recipient: { id: '1' }, messaging_type: 'MESSAGE_TAG', message: { text: 'x' } }),
      100,
    ],
    [
      'a text over 2000 characters',
      () =>
        send({
          recipient: { id: '1' },
          messaging_type: 'RESPONSE',
          message: { text: 'x'.repeat(2001) },
        }),
      100,
    ],
    [
      '14 quick replies',
      () =>
        send({
          recipient: { id: '1' },
          messaging_type: 'RESPONSE',
          message: {
            text: 'x',
            quick_replies: Array.from({ length: 14 }, (_, i) => ({
              content_type: 'text',
              title: `${i}`,
              payload: `${i}`,
            })),
          },
        }),
      100,
    ],
    [
      'a button template with 4 buttons',
      () =>
        send({
          recipient: { id: '1' },
          messaging_type: 'RESPONSE',
          message: {
            attachment: {
              type: 'template',
              payload: {
                template_type: 'button',
                text: 'x',
                buttons: Array.from({ length: 4 }, (_, i) => ({
                  type: 'postback',
                  title: `${i}`,
                  payload: `${i}`,
                })),
              },
            },
          },
        }),
      100,
    ],
    [
      'an unknown customer',
      () =>
        send({ recipient: { id: '424242' }, messaging_type: 'RESPONSE', message: { text: 'x' } }),
      100,
      2018001,
    ],
  ]
  for (const [name, request, code, subcode] of refusals) {
    it(`refuses ${name} with code ${code}${subcode ? `/${subcode}` : ''}`, async () => {
      const before = sim.messages.length
      const res = await request()
      assert.equal(res.status, 400)
      const error = await graphError(res)
      assert.equal(error.code, code)
      if (subcode) assert.equal(error.error_subcode, subcode)
      assert.equal(error.type, 'OAuthException')
      assert.ok(error.fbtrace_id)
      assert.equal(sim.messages.length, before)
    })
  }

  it('keeps the window: RESPONSE within 24 hours, HUMAN_AGENT within 7 days', async () => {
    const psid = sim.newPsid()
    await sim.sendText({ psid, text: 'old', timestamp: Date.now() - 30 * 3600_000 })
    const response = await send({
      recipient: { id: psid },
      messaging_type: 'RESPONSE',
      message: { text: 'x' },
    })
    const error = await graphError(response)
    assert.deepEqual([error.code, error.error_subcode], [10, 2018278])
    const typing = await send({ recipient: { id: psid }, sender_action: 'typing_on' })
    assert.equal((await graphError(typing)).code, 10)
    const tagged = await send({
      recipient: { id: psid },
      messaging_type: 'MESSAGE_TAG',
      tag: 'HUMAN_AGENT',
      message: { text: 'x' },
    })
    assert.equal(tagged.status, 200)
  })

  it('fails on demand with Graph bodies, Retry-After, timeouts and resets; none of them sends', async () => {
    const psid = sim.newPsid()
    await sim.sendText({ psid, text: 'hi' })
    const body = { recipient: { id: psid }, messaging_type: 'RESPONSE', message: { text: 'x' } }
    const before = sim.messages.length
    sim.failNext(1, { ...GRAPH_ERRORS.rateLimit, retryAfter: 3 })
    const limited = await send(body)
    assert.equal(limited.status, 400)
    assert.equal(limited.headers.get('retry-after'), '3')
    assert.equal((await graphError(limited)).code, 613)
    sim.failNext(1, GRAPH_ERRORS.serverError)
    assert.equal((await send(body)).status, 500)
    sim.failNext(1, { kind: 'reset' })
    await assert.rejects(send(body))
    sim.setMode('down')
    assert.equal((await send(body)).status, 503)
    sim.setMode('up')
    sim.block(psid)
    assert.equal((await graphError(await send(body))).code, 551)
    assert.equal(sim.messages.length, before)
  })

  it('plays echo, delivery and read after each send when asked', async () => {
    const psid = sim.newPsid()
    await sim.sendText({ psid, text: 'hi' })
    const count = receiver.received.length
    sim.setAfterSend(['echo', 'delivery', 'read'])
    const res = await send({
      recipient: { id: psid },
      messaging_type: 'RESPONSE',
      message: { text: 'x' },
    })
    const { message_id: mid } = (await res.json()) as { message_id: string }
    sim.setAfterSend([])
    const deadline = Date.now() + 5000
    while (receiver.received.length < count + 3 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10))
    }
    const events = receiver.received
      .slice(count)
      .map((r) => JSON.parse(r.body).entry[0].messaging[0] as GraphEventPost)
    assert.equal(events[0]!.message.is_echo, true)
    assert.equal(events[0]!.message.mid, mid)
    const sent = sim.messages.find((m) => m.mid === mid)!
    assert.equal(events[1]!.delivery.watermark, sent.timestamp)
    assert.equal(events[2]!.read.watermark, sent.timestamp)
  })
})
