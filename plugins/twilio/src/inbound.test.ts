import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type CimBody, type InboundResult, parseCimMessage } from '@plugboard/sdk'
import { signTwilioJsonRequest, signTwilioRequest } from '@plugboard/testkit'
import { AUTH_TOKEN, setUpTwilio } from '../test/context.js'
import { INBOUND } from './fixtures/webhooks.js'
import { mediaBodyType } from './inbound.js'

const mediaUrl = (messageSid: string, mediaSid: string) =>
  `https://api.twilio.com/2010-04-01/Accounts/ACf54d2c3e1b0a99887766554433221100/Messages/${messageSid}/Media/${mediaSid}`

interface Expected {
  serviceIdentifier: string
  customerId: string
  firstName: string | null
  providerIds: string[]
  bodies: CimBody[]
  attributes?: Array<{ key: string; type: string; value: string }>
}

const image = (url: string, mime: string, name: string, caption: string | null): CimBody => ({
  type: mediaBodyType(mime),
  markdownText: caption,
  caption,
  attachment: { mediaUrl: url, mimeType: mime, mediaName: name, thumbnail: null },
  additionalDetails: mediaBodyType(mime) === 'FILE' ? { fileName: name } : null,
})

// Recorded webhook → the CIM messages CCM gets (no file engine: media URLs pass through).
const table: Array<[keyof typeof INBOUND, Expected]> = [
  [
    'smsViaMessagingService',
    {
      serviceIdentifier: '+3197014204768',
      customerId: '+31612345678',
      firstName: null,
      providerIds: ['SMb7116b0e8d1c4e6a9f3b2d5c7e8f9a01'],
      bodies: [{ type: 'PLAIN', markdownText: 'St' }],
    },
  ],
  [
    'smsUnicode',
    {
      serviceIdentifier: '+14155550100',
      customerId: '+14155550199',
      firstName: null,
      providerIds: ['SM1f2e3d4c5b6a79880716253443526170'],
      bodies: [{ type: 'PLAIN', markdownText: 'Olá 👋 1+1=2 & مرحبا' }],
    },
  ],
  [
    'mmsTwoImages',
    {
      serviceIdentifier: '+14155550100',
      customerId: '+14155550199',
      firstName: null,
      providerIds: ['MM0a1b2c3d4e5f60718293a4b5c6d7e8f9', 'MM0a1b2c3d4e5f60718293a4b5c6d7e8f9#1'],
      bodies: [
        image(
          mediaUrl('MM0a1b2c3d4e5f60718293a4b5c6d7e8f9', 'ME11111111111111111111111111111111'),
          'image/jpeg',
          'ME11111111111111111111111111111111.jpg',
          'Two photos',
        ),
        image(
          mediaUrl('MM0a1b2c3d4e5f60718293a4b5c6d7e8f9', 'ME22222222222222222222222222222222'),
          'image/png',
          'ME22222222222222222222222222222222.png',
          null,
        ),
      ],
    },
  ],
  [
    'whatsAppText',
    {
      serviceIdentifier: 'whatsapp:+14155238886',
      customerId: '+16505551234',
      firstName: 'Sheena Nelson',
      providerIds: ['SM9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b'],
      bodies: [{ type: 'PLAIN', markdownText: 'Does it come in another color?' }],
    },
  ],
  [
    'whatsAppImage',
    {
      serviceIdentifier: 'whatsapp:+14155238886',
      customerId: '+16505551234',
      firstName: 'Sheena Nelson',
      providerIds: ['MMa1a2a3a4a5a6a7a8a9b0b1b2b3b4b5b6'],
      bodies: [
        image(
          mediaUrl('MMa1a2a3a4a5a6a7a8a9b0b1b2b3b4b5b6', 'ME33333333333333333333333333333333'),
          'image/jpeg',
          'ME33333333333333333333333333333333.jpg',
          'This one',
        ),
      ],
    },
  ],
  [
    'whatsAppDocument',
    {
      serviceIdentifier: 'whatsapp:+14155238886',
      customerId: '+16505551234',
      firstName: 'Sheena Nelson',
      providerIds: ['MMc1c2c3c4c5c6c7c8c9d0d1d2d3d4d5d6'],
      bodies: [
        image(
          mediaUrl('MMc1c2c3c4c5c6c7c8c9d0d1d2d3d4d5d6', 'ME44444444444444444444444444444444'),
          'application/pdf',
          'ME44444444444444444444444444444444.pdf',
          null,
        ),
      ],
    },
  ],
  [
    'whatsAppVoice',
    {
      serviceIdentifier: 'whatsapp:+14155238886',
      customerId: '+16505551234',
      firstName: 'Sheena Nelson',
      providerIds: ['MMe1e2e3e4e5e6e7e8e9f0f1f2f3f4f5f6'],
      bodies: [
        image(
          mediaUrl('MMe1e2e3e4e5e6e7e8e9f0f1f2f3f4f5f6', 'ME55555555555555555555555555555555'),
          'audio/ogg',
          'ME55555555555555555555555555555555.ogg',
          null,
        ),
      ],
    },
  ],
  [
    'whatsAppLocation',
    {
      serviceIdentifier: 'whatsapp:+14155238886',
      customerId: '+16505551234',
      firstName: 'Sheena Nelson',
      providerIds: ['SM0f0e0d0c0b0a09080706050403020100'],
      bodies: [
        {
          type: 'LOCATION',
          markdownText: null,
          location: { latitude: 52.3731, longitude: 4.8922 },
          additionalDetails: { name: 'Dam Square', address: 'Dam 1, Amsterdam' },
        },
      ],
    },
  ],
  [
    'whatsAppButton',
    {
      serviceIdentifier: 'whatsapp:+14155238886',
      customerId: '+16505551234',
      firstName: 'Sheena Nelson',
      providerIds: ['SM2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b'],
      bodies: [{ type: 'PLAIN', markdownText: 'Yes, confirm' }],
      attributes: [
        { key: 'ButtonPayload', type: 'String2000', value: 'appointment-confirm' },
        {
          key: 'OriginalRepliedMessageSid',
          type: 'String100',
          value: 'SM7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a',
        },
      ],
    },
  ],
  [
    'whatsAppUnsupported',
    {
      serviceIdentifier: 'whatsapp:+14155238886',
      customerId: '+16505551234',
      firstName: 'Sheena Nelson',
      providerIds: ['SM3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c'],
      bodies: [{ type: 'PLAIN', markdownText: '[unsupported message]' }],
    },
  ],
  [
    'smsMinimalLegacy',
    {
      serviceIdentifier: '+14155550100',
      customerId: '+14155550199',
      firstName: null,
      providerIds: ['SM4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d'],
      bodies: [{ type: 'PLAIN', markdownText: 'hello' }],
    },
  ],
]

describe('incoming message webhooks (recorded payloads)', () => {
  for (const [name, expected] of table) {
    it(`${name} → ${expected.bodies.map((b) => b.type).join(', ')}`, async () => {
      const t = await setUpTwilio()
      const res = await t.post('/message', INBOUND[name])
      assert.equal(res.status, 200)
      assert.equal(res.headers.get('content-type'), 'text/xml; charset=utf-8')
      assert.equal(await res.text(), '<Response></Response>')
      const handed = t.ctx.inboundMessages
      assert.deepEqual(
        handed.map((h) => h.options.providerMessageId),
        expected.providerIds,
      )
      assert.deepEqual(
        handed.map((h) => h.message.body),
        expected.bodies,
      )
      for (const { message, options } of handed) {
        assert.equal(parseCimMessage(message).ok, true, 'a valid CIM message')
        const { channelData } = message.header
        assert.equal(channelData.serviceIdentifier, expected.serviceIdentifier)
        assert.equal(channelData.channelCustomerIdentifier, expected.customerId)
        assert.equal(channelData.customerFirstName, expected.firstName)
        assert.deepEqual(channelData.additionalAttributes, expected.attributes ?? [])
        assert.equal(message.header.providerMessageId, options.providerMessageId)
        assert.equal(message.header.sender.type, 'CONNECTOR')
        assert.equal(message.header.sender.id, 'tw')
      }
    })
  }
})

describe('POST /message', () => {
  it('answers only once the hand-off to the host resolved', async () => {
    let release: (result: InboundResult) => void = () => {}
    const t = await setUpTwilio(
      {},
      {
        onInbound: () =>
          new Promise<InboundResult>((resolve) => {
            release = resolve
          }),
      },
    )
    let answered = false
    const pending = t.post('/message', INBOUND.whatsAppText).then((res) => {
      answered = true
      return res
    })
    for (let i = 0; t.ctx.inboundMessages.length === 0; i++) {
      assert.ok(i < 10_000, 'the handler never handed the message to the host')
      await new Promise((r) => setImmediate(r))
    }
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r))
    assert.equal(answered, false, 'Twilio must not get its answer before the message is durable')
    release({ status: 'accepted', id: t.ctx.inboundMessages[0]!.message.id })
    assert.equal((await pending).status, 200)
  })

  it('lets a failed hand-off propagate, so the host answers 5xx and nothing is acknowledged', async () => {
    const t = await setUpTwilio({}, { onInbound: () => Promise.reject(new Error('store down')) })
    await assert.rejects(t.post('/message', INBOUND.smsUnicode), /store down/)
  })

  it('answers a duplicate (Twilio retrying) with TwiML too', async () => {
    const t = await setUpTwilio()
    await t.post('/message', INBOUND.whatsAppText)
    const again = await t.post('/message', INBOUND.whatsAppText)
    assert.equal(again.status, 200)
    assert.equal(await again.text(), '<Response></Response>')
  })

  it('serves Expertflow’s path /twilio-msg/receive too', async () => {
    const t = await setUpTwilio()
    const res = await t.post('/twilio-msg/receive', INBOUND.smsUnicode)
    assert.equal(res.status, 200)
    assert.equal(t.ctx.inboundMessages.length, 1)
  })

  it('verifies against TWILIO_WEBHOOK_BASE_URL, the URL Twilio calls through a proxy', async () => {
    const base = 'https://edge.example.com/twilio/tw'
    const t = await setUpTwilio({ webhookBaseUrl: base })
    const res = await t.post('/message', INBOUND.smsUnicode, { signedUrl: `${base}/message` })
    assert.equal(res.status, 200)
    const direct = await t.post('/message', INBOUND.smsMinimalLegacy)
    assert.equal(direct.status, 200, 'the URL the host saw still verifies')
  })

  it('includes the query string Twilio was given in what it signs', async () => {
    const t = await setUpTwilio()
    const ok = await t.post('/message', INBOUND.smsUnicode, { query: 'tenant=a%20b&x=1' })
    assert.equal(ok.status, 200)
    const stripped = await t.post('/message', INBOUND.smsUnicode, {
      query: 'tenant=a%20b&x=1',
      signedUrl: 'https://plugboard.test/webhooks/tw/message',
    })
    assert.equal(stripped.status, 403)
  })

  const refused: Array<
    [string, { signature?: string | null; token?: string; signedUrl?: string }, string]
  > = [
    ['no signature', { signature: null }, 'missing'],
    ['an empty signature', { signature: '' }, 'missing'],
    ['a signature with another token', { token: 'not-the-token' }, 'mismatch'],
    [
      'a signature for another URL',
      { signedUrl: 'https://evil.example.com/webhooks/tw/message' },
      'mismatch',
    ],
    ['garbage', { signature: 'not base64 at all' }, 'mismatch'],
  ]
  for (const [name, options, reason] of refused) {
    it(`refuses ${name} with 403 JSON, a warning and a count, and hands nothing on`, async () => {
      const t = await setUpTwilio()
      const res = await t.post('/message', INBOUND.whatsAppText, options)
      assert.equal(res.status, 403)
      const { error } = (await res.json()) as { error: { code: string; message: string } }
      assert.equal(error.code, 'BAD_SIGNATURE')
      assert.match(error.message, /X-Twilio-Signature/)
      assert.equal(t.ctx.inboundMessages.length, 0)
      assert.equal(t.counters.get('signature_failures'), 1)
      const warnings = t.ctx.logs.filter((l) => l.level === 'warn')
      assert.equal(warnings.length, 1)
      assert.equal((warnings[0]!.obj as { reason: string }).reason, reason)
      assert.doesNotMatch(JSON.stringify(t.ctx.logs), new RegExp(AUTH_TOKEN))
    })
  }

  it('refuses a body altered after signing', async () => {
    const t = await setUpTwilio()
    const params = Object.fromEntries(new URLSearchParams(INBOUND.whatsAppText))
    const good = await t.post('/message', params)
    assert.equal(good.status, 200)
    const signature = signTwilioRequest(
      AUTH_TOKEN,
      'https://plugboard.test/webhooks/tw/message',
      params,
    )
    const tampered = await t.post('/message', { ...params, Body: 'send money' }, { signature })
    assert.equal(tampered.status, 403)
  })

  it('accepts a JSON webhook signed with bodySHA256, and refuses it altered', async () => {
    const t = await setUpTwilio()
    const body = JSON.stringify(Object.fromEntries(new URLSearchParams(INBOUND.whatsAppText)))
    const signed = signTwilioJsonRequest(
      AUTH_TOKEN,
      'https://plugboard.test/webhooks/tw/message',
      body,
    )
    const query = new URL(signed.url).search.slice(1)
    const headers = { 'content-type': 'application/json', 'x-twilio-signature': signed.signature }
    const ok = await t.ctx.call('POST', '/message', { body, headers, query })
    assert.equal(ok.status, 200)
    assert.equal(
      t.ctx.inboundMessages[0]?.message.body.markdownText,
      'Does it come in another color?',
    )
    const altered = body.replace('color', 'colour')
    const refused = await t.ctx.call('POST', '/message', { body: altered, headers, query })
    assert.equal(refused.status, 403)
  })

  it('answers a signed request without the required fields with 400 naming them', async () => {
    const t = await setUpTwilio()
    const res = await t.post('/message', { Body: 'x', MessageSid: 'SMx' })
    assert.equal(res.status, 400)
    const { error } = (await res.json()) as { error: { code: string; message: string } }
    assert.equal(error.code, 'INVALID_PAYLOAD')
    assert.match(error.message, /From/)
    assert.match(error.message, /To/)
    assert.equal(t.ctx.inboundMessages.length, 0)
  })

  it('answers coordinates out of range with 400', async () => {
    const t = await setUpTwilio()
    const params = Object.fromEntries(new URLSearchParams(INBOUND.whatsAppLocation))
    const res = await t.post('/message', { ...params, Latitude: '123' })
    assert.equal(res.status, 400)
  })
})
