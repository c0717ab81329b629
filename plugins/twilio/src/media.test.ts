import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  bridgeTo,
  type FileEngineSimulator,
  startFileEngineSimulator,
  startTwilioSimulator,
  type TwilioSimulator,
} from '@plugboard/testkit'
import { setUpTwilio } from '../test/context.js'
import { fileNameFor, mediaOf } from './media.js'

describe('mediaOf', () => {
  it('reads MediaUrlN/MediaContentTypeN in order, bounded by NumMedia', () => {
    const fields = {
      MediaUrl0: 'https://api.twilio.com/x/Media/ME1',
      MediaContentType0: 'image/jpeg',
      MediaUrl1: 'https://api.twilio.com/x/Media/ME2',
      MediaContentType1: 'application/pdf',
    }
    assert.deepEqual(mediaOf(fields, 2), [
      { url: fields.MediaUrl0, contentType: 'image/jpeg', sid: 'ME1' },
      { url: fields.MediaUrl1, contentType: 'application/pdf', sid: 'ME2' },
    ])
    assert.equal(mediaOf(fields, 1).length, 1)
    assert.equal(mediaOf(fields, 0).length, 0)
  })

  it('names files by the medium’s sid and its type', () => {
    const name = (contentType: string) => fileNameFor({ url: '', contentType, sid: 'ME9' })
    assert.equal(name('image/jpeg'), 'ME9.jpg')
    assert.equal(name('audio/ogg; codecs=opus'), 'ME9.ogg')
    assert.equal(name('application/x-unknown'), 'ME9')
  })
})

describe('incoming media', () => {
  const PUBLIC = 'https://plugboard.test'
  let twilio: TwilioSimulator
  let fileEngine: FileEngineSimulator
  const closers: Array<() => Promise<void>> = []

  before(async () => {
    twilio = await startTwilioSimulator({ webhookUrl: `${PUBLIC}/webhooks/tw/message` })
    fileEngine = await startFileEngineSimulator()
  })
  after(async () => {
    for (const close of closers) await close()
    await twilio.close()
    await fileEngine.close()
  })

  /** A connector that the simulator's signed webhooks reach through a loopback bridge. */
  async function connector(env: Record<string, string>) {
    const t = await setUpTwilio(
      {
        accountSid: twilio.account.sid,
        authToken: twilio.account.authToken,
        apiBaseUrl: twilio.url,
      },
      { env },
    )
    const bridge = await bridgeTo(t.ctx, '/webhooks/tw')
    closers.push(bridge.close)
    twilio.route(PUBLIC, bridge.url)
    return t
  }

  const whatsAppImage = () =>
    twilio.sendWhatsApp({
      from: '+15550199',
      to: '+15550100',
      body: 'my receipt',
      media: [{ contentType: 'image/png', content: 'PNG-BYTES' }],
    })

  it('downloads with basic auth through the CDN redirect and uploads to the file engine', async () => {
    const t = await connector({
      fileEngineUrl: fileEngine.url,
      fileEnginePublicUrl: 'https://files.example',
    })
    const sent = await whatsAppImage()
    assert.equal(sent.answer?.status, 200)
    const stored = fileEngine.files.at(-1)!
    assert.equal(new TextDecoder().decode(stored.data), 'PNG-BYTES')
    assert.equal(stored.type, 'image/png')
    assert.match(stored.originalName, /^ME[0-9a-f]{32}\.png$/)
    const body = t.ctx.inboundMessages[0]!.message.body as {
      type: string
      caption: string
      attachment: { mediaUrl: string; size: number; mimeType: string }
    }
    assert.equal(body.type, 'IMAGE')
    assert.equal(body.caption, 'my receipt')
    assert.equal(
      body.attachment.mediaUrl,
      `https://files.example/api/downloadFileStream?filename=${encodeURIComponent(stored.name)}`,
    )
    assert.equal(body.attachment.size, 9)
    assert.equal(body.attachment.mimeType, 'image/png')
    assert.deepEqual(
      twilio.mediaRequests.slice(-2).map((g) => [g.where, g.status]),
      [
        ['api', 307],
        ['cdn', 200],
      ],
      'authenticated at Twilio, not at the CDN',
    )
  })

  it('passes the Twilio URL on, with a warning and a count, when the file engine fails', async () => {
    const t = await connector({ fileEngineUrl: fileEngine.url })
    fileEngine.failNext(1, 503)
    const sent = await whatsAppImage()
    assert.equal(sent.answer?.status, 200)
    const body = t.ctx.inboundMessages[0]!.message.body as { attachment: { mediaUrl: string } }
    assert.equal(body.attachment.mediaUrl, sent.params.MediaUrl0)
    assert.equal(t.counters.get('media_fallbacks'), 1)
    assert.ok(t.ctx.logs.some((l) => l.level === 'warn' && /file engine/.test(l.msg ?? '')))
  })

  it('passes the Twilio URL on when the medium cannot be downloaded', async () => {
    const t = await connector({ fileEngineUrl: fileEngine.url })
    const uploads = fileEngine.uploads
    const sent = await whatsAppImage()
    const gone = sent.params.MediaUrl0!.replace(/ME[0-9a-f]+$/, `ME${'0'.repeat(32)}`)
    const answer = await twilio.postWebhook(`${PUBLIC}/webhooks/tw/message`, {
      ...sent.params,
      MessageSid: `MM${'1'.repeat(32)}`,
      MediaUrl0: gone,
    })
    assert.equal(answer.status, 200)
    const body = t.ctx.inboundMessages.at(-1)!.message.body as { attachment: { mediaUrl: string } }
    assert.equal(body.attachment.mediaUrl, gone)
    assert.equal(fileEngine.uploads, uploads + 1, 'only the first message was uploaded')
  })

  it('does not download at all without a file engine', async () => {
    const t = await connector({})
    const before = twilio.mediaRequests.length
    const sent = await whatsAppImage()
    assert.equal(sent.answer?.status, 200)
    assert.equal(twilio.mediaRequests.length, before)
    const body = t.ctx.inboundMessages[0]!.message.body as { attachment: { mediaUrl: string } }
    assert.equal(body.attachment.mediaUrl, sent.params.MediaUrl0)
  })
})
