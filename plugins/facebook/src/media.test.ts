import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { MediaBody } from '@plugboard/sdk'
import {
  bridgeTo,
  type FileEngineSimulator,
  type GraphSimulator,
  startFileEngineSimulator,
  startGraphSimulator,
} from '@plugboard/testkit'
import { APP_SECRET, PAGE_ID, setUpFacebook } from '../test/context.js'
import { fileNameFor, mimeFromName } from './media.js'

describe('attachments in, with a file engine', () => {
  let graph: GraphSimulator
  let files: FileEngineSimulator
  before(async () => {
    graph = await startGraphSimulator({
      appSecret: APP_SECRET,
      pages: [{ id: PAGE_ID, accessToken: 'EAAmediatest' }],
    })
    files = await startFileEngineSimulator()
  })
  after(async () => {
    await graph.close()
    await files.close()
  })

  const connected = async () => {
    const t = await setUpFacebook(
      {},
      { env: { fileEngineUrl: files.url, fileEnginePublicUrl: 'https://cx.example/file-engine' } },
    )
    const bridge = await bridgeTo(t.ctx, '/webhooks/fb')
    return { ...t, bridge, url: `${bridge.url}/webhooks/fb/webhook` }
  }

  it('copies each medium through Meta’s redirect into the file engine, named as the customer named it', async () => {
    const t = await connected()
    const posted = await graph.sendAttachments(
      {
        psid: graph.newPsid(),
        attachments: [
          {
            type: 'file',
            contentType: 'application/pdf',
            content: '%PDF-1.7 test',
            fileName: 'contract.pdf',
          },
          { type: 'audio', contentType: 'audio/mp4', content: new Uint8Array([0, 0, 0, 24]) },
        ],
      },
      { url: t.url },
    )
    assert.equal(posted.answer?.status, 200)
    const bodies = t.ctx.inboundMessages.map((h) => h.message.body as MediaBody)
    assert.deepEqual(
      bodies.map((b) => b.type),
      ['FILE', 'AUDIO'],
    )
    // Both copies run at once, so the file engine may have stored them in either order.
    const stored = files.files.slice(-2)
    const pdf = stored.find((f) => f.originalName === 'contract.pdf')
    const audio = stored.find((f) => f !== pdf)
    assert.equal(pdf!.type, 'application/pdf')
    assert.equal(new TextDecoder().decode(pdf!.data), '%PDF-1.7 test')
    assert.equal(
      bodies[0]!.attachment.mediaUrl,
      `https://cx.example/file-engine/api/downloadFileStream?filename=${encodeURIComponent(pdf!.name)}`,
    )
    assert.equal(bodies[0]!.attachment.size, 13)
    assert.deepEqual(bodies[0]!.additionalDetails, { fileName: 'contract.pdf' })
    assert.equal(audio!.type, 'audio/mp4')
    assert.match(audio!.originalName, /_n\.mp4$/)
    await t.bridge.close()
  })

  it('passes Meta’s URL on when the file engine fails: logged, counted, never lost', async () => {
    const t = await connected()
    files.failNext(1, 503)
    const posted = await graph.sendAttachments(
      {
        psid: graph.newPsid(),
        attachments: [{ type: 'image', contentType: 'image/png', content: 'png' }],
      },
      { url: t.url },
    )
    assert.equal(posted.answer?.status, 200)
    const [handed] = t.ctx.inboundMessages
    const body = handed!.message.body as MediaBody
    assert.match(body.attachment.mediaUrl, new RegExp(`^${graph.url}/lookaside/`))
    assert.equal(t.counters.get('media_fallbacks{reason=FILE_ENGINE_UPLOAD_FAILED}'), 1)
    const warning = t.ctx.logs.find((l) => l.level === 'warn' && /file engine/.test(l.msg ?? ''))
    assert.ok(warning)
    assert.doesNotMatch(JSON.stringify(warning), /oh=/, 'the CDN signature is not logged')
    await t.bridge.close()
  })

  it('passes Meta’s URL on when the download fails', async () => {
    const t = await connected()
    const posted = await graph.postEvents(
      [
        [
          PAGE_ID,
          [
            {
              sender: { id: '9000000000000001' },
              recipient: { id: PAGE_ID },
              timestamp: Date.now(),
              message: {
                mid: 'm_gone',
                attachments: [{ type: 'image', payload: { url: `${graph.url}/lookaside/0000` } }],
              },
            },
          ],
        ],
      ],
      { url: t.url },
    )
    assert.equal(posted.answer?.status, 200)
    const body = t.ctx.inboundMessages[0]!.message.body as MediaBody
    assert.equal(body.attachment.mediaUrl, `${graph.url}/lookaside/0000`)
    assert.equal(t.counters.get('media_fallbacks{reason=MEDIA_DOWNLOAD_FAILED}'), 1)
    await t.bridge.close()
  })
})

describe('file names and types', () => {
  it('keeps the name of a CDN URL, else the fallback with an extension for the type', () => {
    assert.equal(
      fileNameFor('https://cdn.fbsbx.com/v/t59/123_n/My Report (1).pdf?oh=x', 'm1-0', undefined),
      'My_Report_1_.pdf',
    )
    assert.equal(
      fileNameFor('https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1', 'm1-0', 'image/jpeg'),
      'm1-0.jpg',
    )
    assert.equal(fileNameFor('not a url', 'm1-1', 'application/x-unknown'), 'm1-1')
    assert.equal(mimeFromName('clip.mp4', 'audio'), 'audio/mp4')
    assert.equal(mimeFromName('clip.mp4', 'video'), 'video/mp4')
    assert.equal(mimeFromName('a.JPEG'), 'image/jpeg')
    assert.equal(mimeFromName('noext'), null)
  })
})
