import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import twilio from 'twilio'
import { type LoopbackServer, listenLoopback } from '../simulator-http.js'
import { startTwilioSimulator, type TwilioSimulator } from './simulator.js'

interface Received {
  url: string
  headers: Headers
  body: string
}

/** A stand-in host that records what the simulator posts and answers with empty TwiML. */
async function startReceiver(): Promise<LoopbackServer & { received: Received[] }> {
  const received: Received[] = []
  const server = await listenLoopback({
    fetch: async (req) => {
      received.push({ url: req.url, headers: req.headers, body: await req.text() })
      return new Response('<Response></Response>', { headers: { 'content-type': 'text/xml' } })
    },
  })
  return Object.assign(server, { received })
}

const PUBLIC = 'https://hooks.example.test'

describe('Twilio simulator', () => {
  let sim: TwilioSimulator
  let receiver: Awaited<ReturnType<typeof startReceiver>>

  before(async () => {
    receiver = await startReceiver()
    sim = await startTwilioSimulator({
      statusSequence: ['sent', 'delivered'],
      routes: { [PUBLIC]: receiver.url },
      webhookUrl: `${PUBLIC}/webhooks/tw/message`,
    })
  })
  after(async () => {
    await sim.close()
    await receiver.close()
  })

  const messagesUrl = () => `${sim.url}/2010-04-01/Accounts/${sim.account.sid}/Messages.json`
  const basic = (sid: string, token: string) =>
    `Basic ${Buffer.from(`${sid}:${token}`).toString('base64')}`
  const send = (form: Record<string, string | string[]>, authorization?: string) => {
    const body = new URLSearchParams()
    for (const [k, v] of Object.entries(form)) for (const x of [v].flat()) body.append(k, x)
    return fetch(messagesUrl(), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: authorization ?? basic(sim.account.sid, sim.account.authToken),
      },
      body,
    })
  }

  it('refuses a send without the account’s credentials with 401 / 20003', async () => {
    for (const authorization of ['', basic(sim.account.sid, 'wrong')]) {
      const res = await send({ To: '+15550199', From: '+15550100', Body: 'x' }, authorization)
      assert.equal(res.status, 401)
      assert.equal(((await res.json()) as { code: number }).code, 20003)
    }
  })

  it('accepts a send with 201 and Twilio’s Message resource', async () => {
    const res = await send({ To: '+15550199', From: '+15550100', Body: 'Hello!' })
    assert.equal(res.status, 201)
    const body = (await res.json()) as Record<string, unknown>
    assert.match(String(body.sid), /^SM[0-9a-f]{32}$/)
    assert.equal(body.account_sid, sim.account.sid)
    assert.equal(body.status, 'queued')
    assert.equal(body.direction, 'outbound-api')
    assert.equal(body.num_segments, '1')
    assert.equal(body.num_media, '0')
    assert.match(String(body.date_created), /^\w{3}, \d{2} \w{3} \d{4} [\d:]{8} \+0000$/)
    assert.equal(body.uri, `/2010-04-01/Accounts/${sim.account.sid}/Messages/${body.sid}.json`)
    const [message] = await sim.waitFor((m) => m.sid === body.sid)
    assert.equal(message?.body, 'Hello!')
  })

  const refusals: Array<[string, Record<string, string>, number]> = [
    ['an invalid To', { To: '12', From: '+15550100', Body: 'x' }, 21211],
    ['no To', { From: '+15550100', Body: 'x' }, 21604],
    ['no From', { To: '+15550199', Body: 'x' }, 21603],
    ['no content', { To: '+15550199', From: '+15550100' }, 21602],
    [
      'a WhatsApp From to an SMS To',
      { To: '+15550199', From: 'whatsapp:+15550100', Body: 'x' },
      63007,
    ],
    [
      'a body over 1600 characters',
      { To: '+15550199', From: '+1555010', Body: 'x'.repeat(1601) },
      21617,
    ],
    [
      'ContentVariables that are no JSON object',
      { To: '+15550199', From: '+15550100', ContentSid: 'HX1', ContentVariables: '[1]' },
      21656,
    ],
  ]
  for (const [name, form, code] of refusals) {
    it(`refuses ${name} with 400 / ${code}`, async () => {
      const before = sim.messages.length
      const res = await send(form)
      assert.equal(res.status, 400)
      const body = (await res.json()) as { code: number; more_info: string; status: number }
      assert.equal(body.code, code)
      assert.equal(body.status, 400)
      assert.equal(body.more_info, `https://www.twilio.com/docs/errors/${code}`)
      assert.equal(sim.messages.length, before)
    })
  }

  it('refuses a number that opted out with 21610', async () => {
    sim.optOut('+15550777')
    const res = await send({ To: 'whatsapp:+15550777', From: 'whatsapp:+15550100', Body: 'x' })
    assert.equal(((await res.json()) as { code: number }).code, 21610)
  })

  it('posts signed status callbacks in the configured order to the StatusCallback URL', async () => {
    const statusCallback = `${PUBLIC}/webhooks/tw/status`
    sim.nextStatusSequence(['delivered', 'sent', { status: 'undelivered', errorCode: 30003 }])
    const res = await send({
      To: '+15550199',
      From: '+15550100',
      Body: 'cb',
      StatusCallback: statusCallback,
    })
    const { sid } = (await res.json()) as { sid: string }
    const callbacks = await sim.waitForCallbacks((c) => c.messageSid === sid, { count: 3 })
    assert.deepEqual(
      callbacks.map((c) => c.status),
      ['delivered', 'sent', 'undelivered'],
    )
    const posted = receiver.received.filter((r) => r.body.includes(sid))
    assert.equal(posted.length, 3)
    for (const request of posted) {
      assert.equal(new URL(request.url).pathname, '/webhooks/tw/status')
      const params = Object.fromEntries(new URLSearchParams(request.body))
      const signature = request.headers.get('x-twilio-signature') ?? ''
      assert.equal(
        twilio.validateRequest(sim.account.authToken, signature, statusCallback, params),
        true,
      )
      assert.equal(params.MessageSid, sid)
      assert.equal(params.AccountSid, sim.account.sid)
    }
    const last = Object.fromEntries(new URLSearchParams(posted[2]!.body))
    assert.equal(last.MessageStatus, 'undelivered')
    assert.equal(last.ErrorCode, '30003')
    assert.match(last.RawDlrDoneDate ?? '', /^\d{10}$/)
    assert.equal(sim.messages.find((m) => m.sid === sid)?.status, 'undelivered')
  })

  it('marks WhatsApp read callbacks as Twilio does', async () => {
    sim.nextStatusSequence(['read'])
    const res = await send({
      To: 'whatsapp:+15550199',
      From: 'whatsapp:+15550100',
      Body: 'wa',
      StatusCallback: `${PUBLIC}/webhooks/tw/status`,
    })
    const { sid } = (await res.json()) as { sid: string }
    const [callback] = await sim.waitForCallbacks((c) => c.messageSid === sid)
    assert.equal(callback?.params.EventType, 'READ')
    assert.equal(callback?.params.ChannelPrefix, 'whatsapp')
    assert.equal(callback?.params.ChannelToAddress, '+15550199')
  })

  it('signs incoming SMS for the public URL and delivers them through the route', async () => {
    const sent = await sim.sendSms({ from: '+15550199', to: '+15550100', body: 'Hi & bye' })
    assert.equal(sent.answer?.status, 200)
    const request = receiver.received.at(-1)!
    assert.equal(new URL(request.url).pathname, '/webhooks/tw/message')
    assert.equal(request.headers.get('content-type'), 'application/x-www-form-urlencoded')
    const params = Object.fromEntries(new URLSearchParams(request.body))
    assert.equal(params.Body, 'Hi & bye')
    assert.equal(params.SmsStatus, 'received')
    assert.equal(params.MessageSid, sent.messageSid)
    const signature = request.headers.get('x-twilio-signature') ?? ''
    assert.equal(
      twilio.validateRequest(
        sim.account.authToken,
        signature,
        `${PUBLIC}/webhooks/tw/message`,
        params,
      ),
      true,
    )
  })

  it('signs JSON webhooks with bodySHA256', async () => {
    await sim.postWebhook(
      `${PUBLIC}/webhooks/tw/message`,
      { MessageSid: 'SMjson', AccountSid: sim.account.sid },
      { json: true },
    )
    const request = receiver.received.at(-1)!
    const bodyHash = new URL(request.url).searchParams.get('bodySHA256')
    assert.ok(bodyHash)
    const signature = request.headers.get('x-twilio-signature') ?? ''
    const publicUrl = `${PUBLIC}/webhooks/tw/message?bodySHA256=${bodyHash}`
    assert.equal(
      twilio.validateRequestWithBody(sim.account.authToken, signature, publicUrl, request.body),
      true,
    )
  })

  it('can send a wrong signature or none', async () => {
    await sim.sendSms({ from: '+15550199', to: '+15550100', body: 'x' }, { signature: 'forged' })
    assert.equal(receiver.received.at(-1)!.headers.get('x-twilio-signature'), 'forged')
    await sim.sendSms({ from: '+15550199', to: '+15550100', body: 'x' }, { signature: null })
    assert.equal(receiver.received.at(-1)!.headers.has('x-twilio-signature'), false)
  })

  it('sends WhatsApp media behind basic auth, redirected to a CDN that refuses a second auth', async () => {
    const sent = await sim.sendWhatsApp({
      from: '+15550199',
      to: '+15550100',
      profileName: 'Ada',
      body: 'look',
      media: [{ contentType: 'image/jpeg', content: 'JPEGDATA' }],
    })
    const { params } = sent
    assert.equal(params.From, 'whatsapp:+15550199')
    assert.equal(params.To, 'whatsapp:+15550100')
    assert.equal(params.WaId, '15550199')
    assert.equal(params.MessageType, 'image')
    assert.equal(params.NumMedia, '1')
    assert.equal(params.MediaContentType0, 'image/jpeg')
    assert.match(sent.messageSid, /^MM/)
    const mediaUrl = params.MediaUrl0!
    assert.ok(
      mediaUrl.startsWith(
        `${sim.url}/2010-04-01/Accounts/${sim.account.sid}/Messages/${sent.messageSid}/Media/ME`,
      ),
    )

    assert.equal((await fetch(mediaUrl, { redirect: 'manual' })).status, 401)
    const auth = basic(sim.account.sid, sim.account.authToken)
    const redirect = await fetch(mediaUrl, { redirect: 'manual', headers: { authorization: auth } })
    assert.equal(redirect.status, 307)
    const cdnUrl = redirect.headers.get('location')!
    assert.notEqual(new URL(cdnUrl).origin, new URL(sim.url).origin)
    assert.equal((await fetch(cdnUrl, { headers: { authorization: auth } })).status, 400)
    const file = await fetch(cdnUrl)
    assert.equal(file.status, 200)
    assert.equal(file.headers.get('content-type'), 'image/jpeg')
    assert.equal(await file.text(), 'JPEGDATA')
  })

  it('sends WhatsApp locations and button replies with their parameters', async () => {
    const location = await sim.sendWhatsApp({
      from: '+15550199',
      to: '+15550100',
      location: { latitude: 52.3731, longitude: 4.8922, label: 'Dam', address: 'Dam 1' },
    })
    assert.equal(location.params.MessageType, 'location')
    assert.equal(location.params.Latitude, '52.3731')
    assert.equal(location.params.Label, 'Dam')
    const button = await sim.sendWhatsApp({
      from: '+15550199',
      to: '+15550100',
      button: { text: 'Yes', payload: 'confirm-yes' },
    })
    assert.equal(button.params.MessageType, 'button')
    assert.equal(button.params.ButtonPayload, 'confirm-yes')
    assert.equal(button.params.Body, 'Yes')
  })
})

describe('Twilio simulator failures', () => {
  let sim: TwilioSimulator
  before(async () => {
    sim = await startTwilioSimulator({ statusSequence: [], timeoutHoldMs: 30_000 })
  })
  after(() => sim.close())

  const post = (signal?: AbortSignal) =>
    fetch(`${sim.url}/2010-04-01/Accounts/${sim.account.sid}/Messages.json`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${sim.account.sid}:${sim.account.authToken}`).toString('base64')}`,
      },
      body: new URLSearchParams({ To: '+15550199', From: '+15550100', Body: 'f' }),
      ...(signal ? { signal } : {}),
    })

  it('answers 429 with Retry-After and 20429, then 500, then accepts', async () => {
    sim.failNext(1, { status: 429, retryAfter: 3 })
    sim.failNext(1, { status: 500 })
    const throttled = await post()
    assert.equal(throttled.status, 429)
    assert.equal(throttled.headers.get('retry-after'), '3')
    assert.equal(((await throttled.json()) as { code: number }).code, 20429)
    assert.equal((await post()).status, 500)
    assert.equal((await post()).status, 201)
    assert.equal(sim.messages.length, 1)
  })

  it('fails with a given Twilio code', async () => {
    sim.failNext(1, { status: 400, code: 63016, message: 'Outside the allowed window' })
    const res = await post()
    assert.equal(res.status, 400)
    assert.deepEqual(await res.json(), {
      code: 63016,
      message: 'Outside the allowed window',
      more_info: 'https://www.twilio.com/docs/errors/63016',
      status: 400,
    })
  })

  it('holds a timeout unanswered and creates nothing', async () => {
    const before = sim.messages.length
    const attempts = sim.attempts
    sim.failNext(1, { kind: 'timeout' })
    const controller = new AbortController()
    const pending = post(controller.signal)
    const until = Date.now() + 10_000
    while (sim.attempts === attempts && Date.now() < until)
      await new Promise((r) => setTimeout(r, 10))
    controller.abort()
    await assert.rejects(pending, { name: 'AbortError' })
    assert.equal(sim.messages.length, before)
    assert.equal((await post()).status, 201)
  })

  it('resets the connection and creates nothing', async () => {
    const before = sim.messages.length
    sim.failNext(1, { kind: 'reset' })
    await assert.rejects(post())
    assert.equal(sim.messages.length, before)
  })

  it('stays down until set up again', async () => {
    sim.setMode('down', { status: 503, retryAfter: 1 })
    assert.equal((await post()).status, 503)
    assert.equal((await post()).status, 503)
    sim.setMode('up')
    assert.equal((await post()).status, 201)
  })
})

describe('Twilio simulator with the official client', () => {
  it('takes a message sent by twilio-node and answers what it parses', async (t) => {
    const sim = await startTwilioSimulator({ statusSequence: [] })
    t.after(() => sim.close())
    const client = twilio(sim.account.sid, sim.account.authToken)
    // twilio-node has no base-URL option; its domain object's baseUrl is public.
    client.api.baseUrl = sim.url
    const message = await client.messages.create({
      to: '+15550199',
      from: '+15550100',
      body: 'from twilio-node',
      statusCallback: 'https://hooks.example.test/status',
    })
    assert.match(message.sid, /^SM/)
    assert.equal(message.status, 'queued')
    assert.equal(message.body, 'from twilio-node')
    assert.ok(message.dateCreated instanceof Date && !Number.isNaN(message.dateCreated.getTime()))
    const [received] = await sim.waitFor((m) => m.sid === message.sid)
    assert.equal(received?.statusCallback, 'https://hooks.example.test/status')
    const refused = twilio(sim.account.sid, 'wrong-token')
    refused.api.baseUrl = sim.url
    await assert.rejects(
      refused.messages.create({ to: '+15550199', from: '+15550100', body: 'x' }),
      (error: { status?: number; code?: number }) => error.status === 401 && error.code === 20003,
    )
  })
})
