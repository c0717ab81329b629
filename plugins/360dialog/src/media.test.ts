import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { HttpClient, MediaBody } from '@plugboard/sdk'
import {
  type Dialog360Simulator,
  type FileEngineSimulator,
  startDialog360Simulator,
  startFileEngineSimulator,
} from '@plugboard/testkit'
import { setUp360 } from '../test/context.js'
import { endpoints } from './endpoints.js'
import { downloadMedia, fileNameFor } from './media.js'

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])

function imageWebhook(mediaId: string, id = `wamid.media-${mediaId}`): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
              contacts: [{ profile: { name: 'Ada' }, wa_id: '4917612345678' }],
              messages: [
                {
                  from: '4917612345678',
                  id,
                  timestamp: '1749416400',
                  type: 'image',
                  image: { caption: 'broken', mime_type: 'image/jpeg', sha256: 'x', id: mediaId },
                },
              ],
            },
          },
        ],
      },
    ],
  })
}

describe('endpoints', () => {
  const api = endpoints('https://waba-v2.360dialog.io/')
  it('builds the Cloud API paths', () => {
    assert.equal(api.messages, 'https://waba-v2.360dialog.io/messages')
    assert.equal(api.webhookConfig, 'https://waba-v2.360dialog.io/v1/configs/webhook')
    assert.equal(api.media('1037543291543636'), 'https://waba-v2.360dialog.io/1037543291543636')
    assert.equal(
      endpoints('https://waba-sandbox.360dialog.io/v1').webhookConfig,
      'https://waba-sandbox.360dialog.io/v1/configs/webhook',
    )
  })

  it('fetches Meta’s media URLs through the API host, and sends the key nowhere else', () => {
    assert.deepEqual(
      api.download('https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1&ext=2&hash=3'),
      {
        url: 'https://waba-v2.360dialog.io/whatsapp_business/attachments/?mid=1&ext=2&hash=3',
        withKey: true,
      },
    )
    assert.deepEqual(api.download('https://waba-v2.360dialog.io/x?y=1'), {
      url: 'https://waba-v2.360dialog.io/x?y=1',
      withKey: true,
    })
    assert.deepEqual(api.download('https://cdn.elsewhere.test/m.jpg'), {
      url: 'https://cdn.elsewhere.test/m.jpg',
      withKey: false,
    })
  })
})

describe('fileNameFor', () => {
  it('keeps the customer’s name, else makes one from id and type', () => {
    assert.equal(fileNameFor('123', 'application/pdf', 'offer.pdf'), 'offer.pdf')
    assert.equal(fileNameFor('123', 'image/jpeg'), '123.jpg')
    assert.equal(fileNameFor('123', 'audio/ogg; codecs=opus'), '123.ogg')
    assert.equal(fileNameFor('123', 'application/x-unknown'), '123')
  })
})

describe('downloadMedia', () => {
  it('takes an answer that is not JSON as the medium itself, without a second request', async () => {
    const calls: string[] = []
    const request: HttpClient = async (url) => {
      calls.push(String(url))
      return {
        status: 200,
        headers: { 'content-type': 'image/jpeg' },
        text: async () => '',
        json: async () => ({}) as never,
        arrayBuffer: async () => JPEG.slice().buffer,
      }
    }
    const file = await downloadMedia('abc', {
      request,
      apiKey: 'k',
      endpoints: endpoints('https://gateway.test'),
      timeoutMs: 1000,
    })
    assert.deepEqual(file.data, JPEG)
    assert.equal(file.contentType, 'image/jpeg')
    assert.deepEqual(calls, ['https://gateway.test/abc'])
  })
})

describe('incoming media', () => {
  let sim: Dialog360Simulator
  let files: FileEngineSimulator
  before(async () => {
    sim = await startDialog360Simulator({ channels: [{ phoneNumber: '15550783881' }] })
    files = await startFileEngineSimulator()
  })
  after(async () => {
    await sim.close()
    await files.close()
  })

  const setUp = (env: Record<string, string> = {}) =>
    setUp360({ apiKey: sim.channel.apiKey, hostUrl: sim.url }, { env })

  it('copies a medium to the file engine in two steps with the API key', async () => {
    const mediaId = sim.addMedia({ content: JPEG, mimeType: 'image/jpeg' })
    const { ctx, post } = await setUp({
      fileEngineUrl: files.url,
      fileEnginePublicUrl: 'https://files.example',
    })
    assert.equal((await post('/webhook', imageWebhook(mediaId))).status, 200)
    const body = ctx.inboundMessages[0]!.message.body as MediaBody
    const stored = files.files.at(-1)!
    assert.equal(stored.originalName, `${mediaId}.jpg`)
    assert.deepEqual(stored.data, JPEG)
    assert.equal(
      body.attachment.mediaUrl,
      `https://files.example/api/downloadFileStream?filename=${encodeURIComponent(stored.name)}`,
    )
    assert.equal(body.attachment.size, JPEG.byteLength)
    assert.equal(body.caption, 'broken')
    assert.deepEqual(
      sim.mediaRequests.filter((r) => r.mediaId === mediaId).map((r) => [r.step, r.status]),
      [
        ['lookup', 200],
        ['download', 200],
      ],
    )
  })

  it('passes the connector’s media link on when the file engine fails, and says so', async () => {
    const mediaId = sim.addMedia({ content: JPEG, mimeType: 'image/jpeg' })
    const { ctx, post, counters } = await setUp({ fileEngineUrl: files.url })
    files.failNext(1, 500)
    assert.equal((await post('/webhook', imageWebhook(mediaId))).status, 200)
    const body = ctx.inboundMessages[0]!.message.body as MediaBody
    assert.match(body.attachment.mediaUrl, /^https:\/\/plugboard\.test\/webhooks\/d360\/media\?id=/)
    assert.equal(counters.get('media_fallbacks'), 1)
    assert.ok(ctx.logs.some((l) => l.level === 'warn' && /file engine/.test(l.msg ?? '')))
  })

  it('keeps the message when WhatsApp no longer has the medium', async () => {
    const { ctx, post } = await setUp({ fileEngineUrl: files.url })
    assert.equal((await post('/webhook', imageWebhook('999999999999999'))).status, 200)
    assert.equal(ctx.inboundMessages.length, 1)
  })

  it('serves the medium at its signed link, and nothing without a valid signature', async () => {
    const mediaId = sim.addMedia({ content: JPEG, mimeType: 'image/jpeg' })
    const { ctx, post } = await setUp()
    await post('/webhook', imageWebhook(mediaId))
    const link = new URL((ctx.inboundMessages[0]!.message.body as MediaBody).attachment.mediaUrl)
    const get = (query: string) => ctx.call('GET', '/media', { query })
    const ok = await get(link.search)
    assert.equal(ok.status, 200)
    assert.equal(ok.headers.get('content-type'), 'image/jpeg')
    assert.deepEqual(new Uint8Array(await ok.arrayBuffer()), JPEG)
    assert.equal((await get(`?id=${mediaId}&sig=forged`)).status, 403)
    assert.equal((await get(`?id=${mediaId}`)).status, 400)
    const otherId = new URLSearchParams(link.search)
    otherId.set('id', '123456789012345')
    assert.equal((await get(`?${otherId}`)).status, 403)
  })

  it('answers 404 for a link whose medium WhatsApp no longer has', async () => {
    const { ctx, post } = await setUp()
    await post('/webhook', imageWebhook('888888888888888'))
    const link = new URL((ctx.inboundMessages[0]!.message.body as MediaBody).attachment.mediaUrl)
    const res = await ctx.call('GET', '/media', { query: link.search })
    assert.equal(res.status, 404)
  })
})
