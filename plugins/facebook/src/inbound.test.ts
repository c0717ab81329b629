import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type ChannelAttribute, type CimBody, parseCimMessage } from '@plugboard/sdk'
import { setUpFacebook } from '../test/context.js'
import { IDS, INBOUND, OTHER } from './fixtures/webhooks.js'

interface Expected {
  providerIds: string[]
  bodies: CimBody[]
  attributes?: ChannelAttribute[]
  timestamp: number
}

const media = (
  type: 'IMAGE' | 'VIDEO' | 'AUDIO' | 'FILE',
  url: string,
  name: string,
  mime: string | null,
  caption: string | null = null,
): CimBody => ({
  type,
  markdownText: caption,
  caption,
  attachment: { mediaUrl: url, mimeType: mime, mediaName: name, thumbnail: null },
  additionalDetails: type === 'FILE' ? { fileName: name } : null,
})

// Recorded webhook → the CIM messages CCM gets (no file engine: Meta's URLs pass through).
const table: Array<[keyof typeof INBOUND, Expected]> = [
  [
    'text',
    {
      providerIds: ['mid.1457764197618:41d102a3e1ae206a38'],
      bodies: [{ type: 'PLAIN', markdownText: 'hello, world!' }],
      timestamp: 1458692752478,
    },
  ],
  [
    'unicode',
    {
      providerIds: ['m_Uni7zQ8xB3h9cLq2'],
      bodies: [{ type: 'PLAIN', markdownText: 'Olá 👋 1/2 & مرحبا' }],
      timestamp: 1718000000000,
    },
  ],
  [
    'quickReply',
    {
      providerIds: ['m_QrTap4x9PzL0aa'],
      bodies: [{ type: 'PLAIN', markdownText: 'Red' }],
      attributes: [{ key: 'ButtonPayload', type: 'String2000', value: 'COLOR_RED' }],
      timestamp: 1718000001000,
    },
  ],
  [
    'replyTo',
    {
      providerIds: ['m_Reply5vbn3Qw'],
      bodies: [{ type: 'PLAIN', markdownText: 'yes, that one' }],
      attributes: [
        {
          key: 'ReplyToMessageId',
          type: 'String100',
          value: 'm_1fTq8oLumEyIp3Q2MR-aY7IfLZDamVrALniheU',
        },
      ],
      timestamp: 1718000002000,
    },
  ],
  [
    'image',
    {
      providerIds: ['m_Img8dKq1PzRt'],
      bodies: [
        media(
          'IMAGE',
          'https://scontent.xx.fbcdn.net/v/t1.15752-9/448112233_1029384756_n.jpg?_nc_cat=1&oh=03_Q7cD&oe=66A1B2C3',
          '448112233_1029384756_n.jpg',
          'image/jpeg',
        ),
      ],
      timestamp: 1718000003000,
    },
  ],
  [
    'imageAndVideo',
    {
      providerIds: ['m_Two9aZx7Lk', 'm_Two9aZx7Lk#1'],
      bodies: [
        media(
          'IMAGE',
          'https://scontent.xx.fbcdn.net/v/t1.15752-9/1_2_n.png?oh=a&oe=b',
          '1_2_n.png',
          'image/png',
          'look',
        ),
        media(
          'VIDEO',
          'https://video.xx.fbcdn.net/v/t42.3356-2/clip.mp4?oh=c&oe=d',
          'clip.mp4',
          'video/mp4',
        ),
      ],
      timestamp: 1718000004000,
    },
  ],
  [
    'file',
    {
      providerIds: ['m_File3sWq0Po'],
      bodies: [
        media(
          'FILE',
          'https://cdn.fbsbx.com/v/t59.2708-21/4488_n/invoice-2024.pdf?_nc_cat=1&oh=e&oe=f',
          'invoice-2024.pdf',
          'application/pdf',
        ),
      ],
      timestamp: 1718000005000,
    },
  ],
  [
    'audio',
    {
      providerIds: ['m_Aud6yTr2Mn'],
      bodies: [
        media(
          'AUDIO',
          'https://cdn.fbsbx.com/v/t59.3654-21/audioclip-1718000006-12345.mp4?oh=g&oe=h',
          'audioclip-1718000006-12345.mp4',
          'audio/mp4',
        ),
      ],
      timestamp: 1718000006000,
    },
  ],
  [
    'sticker',
    {
      providerIds: ['m_Stk1eRt5Yu'],
      bodies: [
        {
          type: 'STICKER',
          markdownText: null,
          mediaUrl:
            'https://scontent.xx.fbcdn.net/v/t39.1997-6/851557_369239266556155_759568595_n.png?oh=i&oe=j',
          stickerId: '369239263222822',
          additionalDetails: null,
        },
      ],
      timestamp: 1718000007000,
    },
  ],
  [
    'location',
    {
      providerIds: ['m_Loc2wQa8Zx'],
      bodies: [
        {
          type: 'LOCATION',
          markdownText: null,
          location: { latitude: 52.3731, longitude: 4.8922 },
          additionalDetails: {
            name: 'Pinned Location',
            url: 'https://l.facebook.com/l.php?u=https%3A%2F%2Fwww.bing.com%2Fmaps',
          },
        },
      ],
      timestamp: 1718000008000,
    },
  ],
  [
    'fallback',
    {
      providerIds: ['m_Lnk7uJm3Nb'],
      bodies: [{ type: 'PLAIN', markdownText: 'https://example.com/order/42\nOrder 42' }],
      timestamp: 1718000009000,
    },
  ],
  [
    'reel',
    {
      providerIds: ['m_Reel0pLk9Mj'],
      bodies: [
        {
          type: 'PLAIN',
          markdownText: '[reel]\nUnboxing\nhttps://www.facebook.com/reel/123456789',
        },
      ],
      timestamp: 1718000010000,
    },
  ],
  [
    'postbackGetStarted',
    {
      providerIds: ['m_Pb1GetStart'],
      bodies: [{ type: 'PLAIN', markdownText: 'Get Started' }],
      attributes: [
        { key: 'ButtonPayload', type: 'String2000', value: 'GET_STARTED' },
        { key: 'Referral', type: 'String2000', value: 'summer-sale' },
      ],
      timestamp: 1718000011000,
    },
  ],
  [
    'postbackNoMid',
    {
      providerIds: [`postback:${IDS.psid}:1718000012000`],
      bodies: [{ type: 'PLAIN', markdownText: 'Talk to sales' }],
      attributes: [{ key: 'ButtonPayload', type: 'String2000', value: 'MENU_SALES' }],
      timestamp: 1718000012000,
    },
  ],
]

describe('incoming webhooks (recorded payloads)', () => {
  for (const [name, expected] of table) {
    it(`${name} → ${expected.bodies.map((b) => b.type).join(', ')}`, async () => {
      const t = await setUpFacebook()
      const res = await t.post(INBOUND[name])
      assert.equal(res.status, 200)
      assert.equal(await res.text(), 'EVENT_RECEIVED')
      const handed = t.ctx.inboundMessages
      assert.deepEqual(
        handed.map((h) => h.options.providerMessageId),
        expected.providerIds,
      )
      assert.deepEqual(
        handed.map((h) => h.message.body),
        expected.bodies,
      )
      for (const { message } of handed) {
        assert.ok(parseCimMessage(message).ok, 'a valid CIM message')
        assert.equal(message.header.channelData.serviceIdentifier, IDS.page)
        assert.equal(message.header.channelData.channelCustomerIdentifier, IDS.psid)
        assert.equal(message.header.sender.type, 'CONNECTOR')
        assert.equal(message.header.sender.id, 'fb')
        assert.equal(message.header.timestamp, expected.timestamp)
        assert.deepEqual(message.header.channelData.additionalAttributes, expected.attributes ?? [])
      }
    })
  }

  it('a batch: every entry and every event, in order', async () => {
    const t = await setUpFacebook()
    assert.equal((await t.post(OTHER.batch)).status, 200)
    assert.deepEqual(
      t.ctx.inboundMessages.map((h) => [h.options.providerMessageId, h.message.body.markdownText]),
      [
        ['m_Batch1', 'first'],
        ['m_Batch2', 'second'],
        ['m_Batch3', 'third'],
      ],
    )
  })

  it('a malformed event is logged and skipped; the others of its batch go through', async () => {
    const t = await setUpFacebook()
    assert.equal((await t.post(OTHER.oneMalformed)).status, 200)
    assert.deepEqual(
      t.ctx.inboundMessages.map((h) => h.options.providerMessageId),
      ['m_Good1', 'm_Good2'],
    )
    assert.ok(t.ctx.logs.some((l) => l.level === 'warn' && /malformed/.test(l.msg ?? '')))
    assert.equal(t.counters.get('webhook_events{kind=invalid}'), 1)
  })

  it('echoes are ignored', async () => {
    const t = await setUpFacebook()
    assert.equal((await t.post(OTHER.echo)).status, 200)
    assert.equal(t.ctx.inboundMessages.length, 0)
    assert.equal(t.counters.get('webhook_events{kind=echo}'), 1)
  })

  it('an event of a kind it does not handle is logged with its fields, not its content', async () => {
    const t = await setUpFacebook()
    assert.equal((await t.post(OTHER.reaction)).status, 200)
    assert.equal(t.ctx.inboundMessages.length, 0)
    const line = t.ctx.logs.find((l) => /does not handle/.test(l.msg ?? ''))
    assert.ok(line)
    assert.deepEqual((line.obj as { fields: string[] }).fields, ['reaction'])
    assert.doesNotMatch(JSON.stringify(line), /love/)
  })

  it('another object than "page" is answered 200 and logged', async () => {
    const t = await setUpFacebook()
    assert.equal((await t.post(OTHER.instagram)).status, 200)
    assert.equal(t.ctx.inboundMessages.length, 0)
    assert.ok(t.ctx.logs.some((l) => l.level === 'warn' && /instagram|"page"/.test(l.msg ?? '')))
  })

  it('a signed body that is no webhook envelope is answered 400', async () => {
    const t = await setUpFacebook()
    for (const body of ['[]', '{"object":"page"}', 'not json']) {
      const res = await t.post(body)
      assert.equal(res.status, 400, body)
      const answer = (await res.json()) as { error: { code: string } }
      assert.equal(answer.error.code, 'INVALID_PAYLOAD')
    }
    assert.equal(t.ctx.inboundMessages.length, 0)
  })

  it('a failing hand-off to the host fails the webhook, so Meta sends it again', async () => {
    const t = await setUpFacebook(
      {},
      {
        onInbound: () => {
          throw new Error('store unavailable')
        },
      },
    )
    await assert.rejects(t.post(INBOUND.text), /store unavailable/)
  })
})

describe('webhook signatures', () => {
  const cases: Array<[string, { signature?: string | null; secret?: string }, string]> = [
    ['no signature', { signature: null }, 'missing'],
    ['a signature of another secret', { secret: 'someone-else' }, 'mismatch'],
    [
      'a SHA-1 signature in the SHA-256 header',
      { signature: `sha1=${'a'.repeat(40)}` },
      'malformed',
    ],
    ['a signature over other bytes', { signature: `sha256=${'0'.repeat(64)}` }, 'mismatch'],
  ]
  for (const [name, options, reason] of cases) {
    it(`${name} → 403, counted, logged, nothing handed on`, async () => {
      const t = await setUpFacebook()
      const res = await t.post(INBOUND.text, options)
      assert.equal(res.status, 403)
      const body = (await res.json()) as { error: { code: string; message: string } }
      assert.equal(body.error.code, 'BAD_SIGNATURE')
      assert.equal(t.ctx.inboundMessages.length, 0)
      assert.equal(t.counters.get(`signature_failures{reason=${reason}}`), 1)
      const line = t.ctx.logs.find(
        (l) => l.level === 'warn' && /X-Hub-Signature-256/.test(l.msg ?? ''),
      )
      assert.ok(line, 'a warning names the header')
      assert.doesNotMatch(JSON.stringify(t.ctx.logs), /test-app-secret/)
    })
  }

  it('the signature covers the bytes as sent: a re-serialised body does not verify', async () => {
    const t = await setUpFacebook()
    const reserialised = JSON.stringify(JSON.parse(INBOUND.unicode))
    assert.notEqual(reserialised, INBOUND.unicode)
    const { signGraphWebhook } = await import('@plugboard/testkit')
    const res = await t.post(INBOUND.unicode, {
      signature: signGraphWebhook('test-app-secret-0123456789abcdef', reserialised),
    })
    assert.equal(res.status, 403)
  })
})
