import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { type LoopbackServer, listenLoopback } from '../simulator-http.js'
import { startDialog360Simulator } from './simulator.js'
import type { Dialog360Simulator } from './types.js'

interface Received {
  path: string
  headers: Headers
  body: string
}

/** A stand-in for a connector's webhook that records what arrives and answers `status`. */
async function receiver(status = 200) {
  const received: Received[] = []
  const server: LoopbackServer = await listenLoopback({
    fetch: async (req) => {
      received.push({
        path: new URL(req.url).pathname,
        headers: req.headers,
        body: await req.text(),
      })
      return Response.json({ ok: true }, { status })
    },
  })
  return { received, url: server.url, close: () => server.close() }
}

const text = (to = '4917612345678', body = 'hello') => ({
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to,
  type: 'text',
  text: { body },
})

describe('360dialog simulator', () => {
  let sim: Dialog360Simulator
  let hook: Awaited<ReturnType<typeof receiver>>
  const PUBLIC = 'https://hooks.example.test'

  before(async () => {
    hook = await receiver()
    sim = await startDialog360Simulator({
      channels: [{ phoneNumber: '15550783881', apiKey: 'key-one' }, { phoneNumber: '15550000002' }],
      statusSequence: ['sent', 'delivered'],
      timeoutHoldMs: 50,
      routes: { [PUBLIC]: hook.url },
    })
  })
  after(async () => {
    await sim.close()
    await hook.close()
  })

  const send = (body: unknown, key = 'key-one') =>
    fetch(`${sim.url}/messages`, {
      method: 'POST',
      headers: { 'D360-API-KEY': key, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })

  it('registers a webhook with its headers, refusing URLs the Cloud API refuses', async () => {
    const register = (url: string, key = 'key-one') =>
      fetch(`${sim.url}/v1/configs/webhook`, {
        method: 'POST',
        headers: { 'D360-API-KEY': key, 'content-type': 'application/json' },
        body: JSON.stringify({ url, headers: { 'X-Token': 'secret-token' } }),
      })
    for (const bad of [
      'http://hooks.example.test/x',
      'https://hooks.example.test:8443/x',
      'https://my_host.test/x',
    ]) {
      assert.equal((await register(bad)).status, 400, bad)
    }
    assert.equal((await register(`${PUBLIC}/hook`, 'wrong')).status, 401)
    const ok = await register(`${PUBLIC}/hook`)
    assert.equal(ok.status, 200)
    assert.deepEqual(await ok.json(), {
      url: `${PUBLIC}/hook`,
      headers: { 'X-Token': 'secret-token' },
    })
    const [registration] = await sim.waitForRegistration()
    assert.equal(registration?.phoneNumber, '15550783881')
    const read = await fetch(`${sim.url}/v1/configs/webhook`, {
      headers: { 'D360-API-KEY': 'key-one' },
    })
    assert.equal(((await read.json()) as { url: string }).url, `${PUBLIC}/hook`)
  })

  it('accepts a Cloud API message with the right key and answers in the Cloud shape', async () => {
    const res = await send(text('+4917612345678'))
    assert.equal(res.status, 200)
    const answer = (await res.json()) as {
      messaging_product: string
      contacts: Array<{ input: string; wa_id: string }>
      messages: Array<{ id: string }>
    }
    assert.equal(answer.messaging_product, 'whatsapp')
    assert.deepEqual(answer.contacts, [{ input: '+4917612345678', wa_id: '4917612345678' }])
    assert.match(answer.messages[0]!.id, /^wamid\./)
    const [sent] = await sim.waitFor((m) => m.id === answer.messages[0]!.id)
    assert.equal(sent?.to, '4917612345678')
    assert.equal(sent?.from, '15550783881')
    assert.equal(sent?.text, 'hello')
  })

  it('posts the status sequence to the registered webhook with its headers', async () => {
    const res = await send(text('4917600000001', 'track me'))
    const id = ((await res.json()) as { messages: Array<{ id: string }> }).messages[0]!.id
    const posted = await sim.waitForWebhooks((w) => w.messageId === id, { count: 2 })
    assert.deepEqual(
      posted.map((w) => [w.status, w.answer?.status]),
      [
        ['sent', 200],
        ['delivered', 200],
      ],
    )
    const last = hook.received.find((r) => r.body.includes(id) && r.body.includes('"delivered"'))!
    assert.equal(last.path, '/hook')
    assert.equal(last.headers.get('x-token'), 'secret-token')
    const body = JSON.parse(last.body)
    assert.equal(body.object, 'whatsapp_business_account')
    const value = body.entry[0].changes[0].value
    assert.equal(value.metadata.display_phone_number, '15550783881')
    assert.equal(value.statuses[0].id, id)
    assert.equal(value.statuses[0].recipient_id, '4917600000001')
  })

  it('refuses a wrong key with 360dialog’s own 401', async () => {
    const res = await send(text(), 'nope')
    assert.equal(res.status, 401)
    assert.deepEqual(await res.json(), { error: 'Invalid api key' })
  })

  it('refuses what the Cloud API refuses, with Graph errors', async () => {
    const cases: Array<[unknown, string]> = [
      [{ ...text(), messaging_product: undefined }, 'messaging_product'],
      [text('abc'), 'to'],
      [{ ...text(), text: { body: '' } }, 'body'],
      [
        {
          ...text(),
          type: 'interactive',
          interactive: {
            type: 'button',
            body: { text: 'pick' },
            action: {
              buttons: [1, 2, 3, 4].map((i) => ({
                type: 'reply',
                reply: { id: `${i}`, title: `${i}` },
              })),
            },
          },
        },
        '1 to 3',
      ],
      [
        { ...text(), type: 'audio', audio: { link: 'https://x.test/a.ogg', caption: 'no' } },
        'caption',
      ],
    ]
    for (const [body, mention] of cases) {
      const res = await send(body)
      assert.equal(res.status, 400, mention)
      const { error } = (await res.json()) as {
        error: { code: number; type: string; fbtrace_id: string; error_data: { details: string } }
      }
      assert.equal(error.code, 100)
      assert.equal(error.type, 'OAuthException')
      assert.ok(error.fbtrace_id)
      assert.ok(
        error.error_data.details.includes(mention),
        `${error.error_data.details} names ${mention}`,
      )
    }
  })

  it('answers 131047 to free-form messages while a customer’s window is closed, not to templates', async () => {
    sim.closeWindow('4917655555555')
    const res = await send(text('4917655555555'))
    assert.equal(res.status, 400)
    assert.equal(((await res.json()) as { error: { code: number } }).error.code, 131047)
    const template = await send({
      messaging_product: 'whatsapp',
      to: '4917655555555',
      type: 'template',
      template: { name: 'hello_world', language: { code: 'en_US' } },
    })
    assert.equal(template.status, 200)
    sim.openWindow('4917655555555')
    assert.equal((await send(text('4917655555555'))).status, 200)
  })

  it('fails on demand: 429 with Retry-After, a held request, a reset; all counted, none recorded', async () => {
    const before = sim.messages.length
    const attempts = sim.attempts
    sim.failNext(1, { status: 429, retryAfter: 2 })
    sim.failNext(1, { kind: 'timeout' })
    sim.failNext(1, { kind: 'reset' })
    const limited = await send(text())
    assert.equal(limited.status, 429)
    assert.equal(limited.headers.get('retry-after'), '2')
    assert.equal(((await limited.json()) as { error: { code: number } }).error.code, 130429)
    assert.equal((await send(text())).status, 504)
    await assert.rejects(send(text()))
    assert.equal(sim.attempts, attempts + 3)
    assert.equal(sim.messages.length, before)
    sim.setMode('down')
    assert.equal((await send(text())).status, 503)
    sim.setMode('up')
    assert.equal((await send(text())).status, 200)
  })

  it('takes read marks apart from sends', async () => {
    const attempts = sim.attempts
    const res = await send({ messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.X' })
    assert.deepEqual(await res.json(), { success: true })
    assert.deepEqual(sim.reads, ['wamid.X'])
    assert.equal(sim.attempts, attempts)
  })

  it('posts a customer’s medium whose bytes take two steps and the API key', async () => {
    const sent = await sim.sendInbound({
      from: '4917612345678',
      name: 'Ada',
      media: { kind: 'image', content: 'PNGDATA', mimeType: 'image/png', caption: 'look' },
    })
    assert.equal(sent.answer?.status, 200)
    const message = JSON.parse(sent.body).entry[0].changes[0].value.messages[0]
    assert.equal(message.type, 'image')
    assert.equal(message.image.caption, 'look')
    const key = { 'D360-API-KEY': 'key-one' }
    assert.equal((await fetch(`${sim.url}/${message.image.id}`)).status, 401)
    const info = (await (
      await fetch(`${sim.url}/${message.image.id}`, { headers: key })
    ).json()) as {
      url: string
      mime_type: string
      file_size: number
    }
    assert.equal(info.mime_type, 'image/png')
    assert.equal(info.file_size, 7)
    const meta = new URL(info.url)
    assert.equal(meta.hostname, 'lookaside.fbsbx.com')
    const through = `${sim.url}${meta.pathname}${meta.search}`
    assert.equal((await fetch(through)).status, 401)
    const bytes = await fetch(through, { headers: key })
    assert.equal(await bytes.text(), 'PNGDATA')
    assert.equal(bytes.headers.get('content-type'), 'image/png')
    assert.deepEqual(
      sim.mediaRequests.map((r) => [r.step, r.status]),
      [
        ['lookup', 401],
        ['lookup', 200],
        ['download', 401],
        ['download', 200],
      ],
    )
  })

  it('posts the On-Premise shape on request, and uploads media', async () => {
    const sent = await sim.sendInbound(
      { from: '4917612345678', text: 'old style' },
      { shape: 'on-premise' },
    )
    const body = JSON.parse(sent.body)
    assert.equal(body.entry, undefined)
    assert.equal(body.messages[0].text.body, 'old style')
    assert.equal(body.contacts[0].wa_id, '4917612345678')

    const form = new FormData()
    form.set('messaging_product', 'whatsapp')
    form.set('file', new File(['abc'], 'a.txt', { type: 'text/plain' }))
    const upload = await fetch(`${sim.url}/media`, {
      method: 'POST',
      headers: { 'D360-API-KEY': 'key-one' },
      body: form,
    })
    assert.match(((await upload.json()) as { id: string }).id, /^\d+$/)
  })

  it('signs every webhook when a partner secret is set', async () => {
    const signed = await startDialog360Simulator({
      partnerSecret: 'platform-secret',
      webhookUrl: `${hook.url}/p`,
    })
    try {
      const sent = await signed.sendInbound({ from: '4917612345678', text: 'signed' })
      const expected = createHmac('sha256', 'platform-secret').update(sent.body).digest('hex')
      assert.equal(sent.headers['x-360dialog-signature'], expected)
      const arrived = hook.received.find((r) => r.path === '/p' && r.body === sent.body)
      assert.equal(arrived?.headers.get('x-360dialog-signature'), expected)
      const forged = await signed.sendInbound(
        { from: '4917612345678', text: 'x' },
        { signature: null },
      )
      assert.equal(forged.headers['x-360dialog-signature'], undefined)
    } finally {
      await signed.close()
    }
  })
})
