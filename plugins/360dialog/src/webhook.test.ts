import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  type CimBody,
  type InboundResult,
  parseCimMessage,
  type ReceiptUpdate,
} from '@plugboard/sdk'
import { API_KEY, BUSINESS_NUMBER, setUp360 } from '../test/context.js'
import { INBOUND, OTHER, STATUS } from './fixtures/webhooks.js'
import { createMediaLinks } from './media-link.js'
import { mediaLinkKey } from './signature.js'

const links = createMediaLinks({
  key: mediaLinkKey(API_KEY),
  publicBase: 'https://plugboard.test/webhooks/d360',
})

interface Expected {
  customerId: string
  firstName: string | null
  providerId: string
  body: CimBody
  attributes?: Array<{ key: string; type: string; value: string }>
  timestamp?: number
}

const media = (
  type: 'IMAGE' | 'AUDIO' | 'FILE',
  id: string,
  mimeType: string,
  fileName: string,
  caption: string | null,
): CimBody => ({
  type,
  markdownText: caption,
  caption,
  attachment: { mediaUrl: links.link(id), mimeType, mediaName: fileName, thumbnail: null },
  additionalDetails: type === 'FILE' ? { fileName } : null,
})

const CONTEXT = 'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI1QjRGM0E5RDQ1Mjc5RkVGMjMA'
const contextAttribute = (id: string) => ({
  key: 'ContextMessageId',
  type: 'String2000',
  value: id,
})

// Recorded webhook → the CIM message the host gets (no file engine: media get the connector's link).
const table: Array<[keyof typeof INBOUND, Expected]> = [
  [
    'text',
    {
      customerId: '16505551234',
      firstName: 'Sheena Nelson',
      providerId: 'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
      body: { type: 'PLAIN', markdownText: 'Does it come in another color?' },
      timestamp: 1749416383000,
    },
  ],
  [
    'image',
    {
      customerId: '16505551234',
      firstName: 'Sheena Nelson',
      providerId: 'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzRUIwQjg0RjE1QjM0QTI2RUYwNQA=',
      body: media(
        'IMAGE',
        '1003383421387256',
        'image/jpeg',
        '1003383421387256.jpg',
        'This one, in blue',
      ),
    },
  ],
  [
    'document',
    {
      customerId: '16505551234',
      firstName: 'Sheena Nelson',
      providerId: 'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzRUIwMjY3QjE4QzUxQjY2RjcxMQA=',
      body: media('FILE', '1281974582995713', 'application/pdf', 'invoice-2025-06.pdf', null),
    },
  ],
  [
    'voice',
    {
      customerId: '16505551234',
      firstName: 'Sheena Nelson',
      providerId: 'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzRUIwQTJEQjY4NjA2NzA5NjIwRQA=',
      body: media('AUDIO', '1196381538624474', 'audio/ogg', '1196381538624474.ogg', null),
    },
  ],
  [
    'sticker',
    {
      customerId: '16505551234',
      firstName: 'Sheena Nelson',
      providerId: 'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzRUIwRDhCRkE5N0JCN0U3QzIzNQA=',
      body: {
        type: 'STICKER',
        markdownText: null,
        mediaUrl: links.link('1558920311562180'),
        stickerId: '1558920311562180',
      },
    },
  ],
  [
    'location',
    {
      customerId: '16505551234',
      firstName: 'Sheena Nelson',
      providerId: 'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzRUIwNkE0NzE4QUY0RTNDNTM1OAA=',
      body: {
        type: 'LOCATION',
        markdownText: null,
        location: { latitude: 37.483253479, longitude: -122.148246765 },
        additionalDetails: {
          name: 'Main office',
          address: '1 Hacker Way, Menlo Park, CA 94025',
          url: 'https://www.example.com',
        },
      },
    },
  ],
  [
    'contacts',
    {
      customerId: '16505551234',
      firstName: 'Sheena Nelson',
      providerId: 'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzRUIwNTk3NUM2QUFCMzlGNTFFMAA=',
      body: {
        type: 'CONTACT',
        markdownText: null,
        contacts: [
          {
            name: {
              formattedName: 'Barbara J. Johnson',
              additionalNameDetails: { first_name: 'Barbara', last_name: 'Johnson' },
            },
            phones: [
              {
                phone: '+1 (940) 555-1234',
                additionalPhoneDetails: { type: 'HOME', wa_id: '19405551234' },
              },
            ],
            additionalContactDetails: {
              emails: [{ email: 'bjohnson@example.com', type: 'WORK' }],
              org: { company: 'Example Inc.' },
            },
          },
        ],
      },
    },
  ],
  [
    'buttonReply',
    {
      customerId: '16505551234',
      firstName: 'Sheena Nelson',
      providerId: 'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzRUIwMzhCODFBOTg1RjQ0MjkxMgA=',
      body: { type: 'PLAIN', markdownText: 'Sales' },
      attributes: [
        contextAttribute('wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI1QjRGM0E5RDQ1Mjc5RkVGMjMA'),
        { key: 'ButtonPayload', type: 'String2000', value: 'talk-to-sales' },
      ],
    },
  ],
  [
    'listReply',
    {
      customerId: '16505551234',
      firstName: 'Sheena Nelson',
      providerId: 'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzRUIwRjc2NkI0ODJGRTlBRjkyMgA=',
      body: { type: 'PLAIN', markdownText: 'Gold' },
      attributes: [
        contextAttribute('wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI2QzNDMkY1QTlBOTE3Njk3NjYA'),
        { key: 'ButtonPayload', type: 'String2000', value: 'plan-gold' },
      ],
    },
  ],
  [
    'templateButton',
    {
      customerId: '16505551234',
      firstName: 'Sheena Nelson',
      providerId: 'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzRUIwMUNBQjY1NDRCMUU1RUI3MgA=',
      body: { type: 'PLAIN', markdownText: 'Yes, confirm' },
      attributes: [
        contextAttribute('wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI3RDRERTA3N0IyNzc1QkFDNEUA'),
        { key: 'ButtonPayload', type: 'String2000', value: 'confirm-appointment' },
      ],
    },
  ],
  [
    'reaction',
    {
      customerId: '16505551234',
      firstName: 'Sheena Nelson',
      providerId: 'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzRUIwQzY2RjFFMjVBNDhFMDE0RQA=',
      body: { type: 'PLAIN', markdownText: '[reaction 👍]' },
      attributes: [{ key: 'ReactionToMessageId', type: 'String2000', value: CONTEXT }],
    },
  ],
  [
    'replyWithContext',
    {
      customerId: '16505551234',
      firstName: 'Sheena Nelson',
      providerId: 'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzRUIwNDA0RjE2NkU4QTFCQjYwMQA=',
      body: { type: 'PLAIN', markdownText: 'About that order…' },
      attributes: [contextAttribute(CONTEXT)],
    },
  ],
  [
    'unsupported',
    {
      customerId: '16505551234',
      firstName: 'Sheena Nelson',
      providerId: 'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzRUIwOEJGQ0I3QjM2NTRBMTQ0MAA=',
      body: { type: 'PLAIN', markdownText: '[unsupported message] Message type unknown' },
    },
  ],
]

describe('customer messages (recorded webhooks)', () => {
  for (const [name, expected] of table) {
    it(`${name} → ${expected.body.type}`, async () => {
      const { ctx, post } = await setUp360()
      const res = await post('/webhook', INBOUND[name])
      assert.equal(res.status, 200)
      assert.equal(ctx.inboundMessages.length, 1)
      const { message, options } = ctx.inboundMessages[0]!
      const checked = parseCimMessage(message)
      assert.ok(checked.ok, checked.ok ? '' : JSON.stringify(checked.issues))
      assert.deepEqual(message.body, expected.body)
      assert.equal(message.header.channelData.serviceIdentifier, BUSINESS_NUMBER)
      assert.equal(message.header.channelData.channelCustomerIdentifier, expected.customerId)
      assert.equal(message.header.channelData.customerFirstName, expected.firstName)
      assert.equal(message.header.providerMessageId, expected.providerId)
      assert.equal(options.providerMessageId, expected.providerId)
      assert.equal(message.header.sender.type, 'CONNECTOR')
      assert.equal(message.header.sender.id, 'd360')
      assert.deepEqual(message.header.channelData.additionalAttributes, expected.attributes ?? [])
      if (expected.timestamp !== undefined) {
        assert.equal(message.header.timestamp, expected.timestamp)
      }
    })
  }

  it('logs what it degraded to text (reaction, unsupported)', async () => {
    const { ctx, post } = await setUp360()
    await post('/webhook', INBOUND.reaction)
    await post('/webhook', INBOUND.unsupported)
    const notes = ctx.logs.filter((l) => /sent as text/.test(l.msg ?? ''))
    assert.equal(notes.length, 2)
  })

  it('takes every message of a batch, in order, each with its own profile name', async () => {
    const { ctx, post } = await setUp360()
    const res = await post('/webhook', INBOUND.batch)
    assert.deepEqual(await res.json(), { status: 'ok', messages: 2, statuses: 0 })
    assert.deepEqual(
      ctx.inboundMessages.map(({ message }) => [
        message.body.markdownText,
        message.header.channelData.customerFirstName,
      ]),
      [
        ['first', 'Sheena Nelson'],
        ['second', 'Kerry Fisher'],
      ],
    )
  })

  it('names the channel as declared, matching the number by its digits', async () => {
    const { ctx, post } = await setUp360(
      {},
      { channels: [{ serviceIdentifier: '+1 555 078 3881' }] },
    )
    await post('/webhook', INBOUND.text)
    assert.equal(
      ctx.inboundMessages[0]!.message.header.channelData.serviceIdentifier,
      '+1 555 078 3881',
    )
  })

  it('reads the On-Premise shape, on the configured number', async () => {
    const { ctx, post } = await setUp360({ phoneNumber: '4930123456' })
    const res = await post('/webhook', INBOUND.onPremiseText)
    assert.equal(res.status, 200)
    const { message } = ctx.inboundMessages[0]!
    assert.equal(message.header.channelData.serviceIdentifier, '4930123456')
    assert.equal(message.header.channelData.channelCustomerIdentifier, '2423423243')
    assert.equal(message.header.channelData.customerFirstName, 'Sojan Jose')
    assert.equal(message.body.markdownText, 'Test')
  })

  it('serves the On-Premise shape on the single channel when no number is configured', async () => {
    const { ctx, post } = await setUp360({}, { channels: [{ serviceIdentifier: '4930999' }] })
    await post('/webhook', INBOUND.onPremiseText)
    assert.equal(ctx.inboundMessages[0]!.message.header.channelData.serviceIdentifier, '4930999')
  })

  it('answers 503 (so 360dialog retries) when an On-Premise message names no known number', async () => {
    const { ctx, post } = await setUp360()
    const res = await post('/webhook', INBOUND.onPremiseText)
    assert.equal(res.status, 503)
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'NO_CHANNEL')
    assert.equal(ctx.inboundMessages.length, 0)
  })

  it('answers on the Expertflow path /360notifications too', async () => {
    const { ctx, post } = await setUp360()
    assert.equal((await post('/360notifications', INBOUND.text)).status, 200)
    assert.equal(ctx.inboundMessages.length, 1)
  })

  it('answers only once the host holds the message, and propagates a failed hand-off', async () => {
    let release: (r: InboundResult) => void = () => {}
    const { ctx, post } = await setUp360(
      {},
      { onInbound: () => new Promise<InboundResult>((resolve) => (release = resolve)) },
    )
    let answered = false
    const pending = post('/webhook', INBOUND.text).then((r) => {
      answered = true
      return r
    })
    await new Promise((r) => setImmediate(r))
    assert.equal(answered, false)
    release({ status: 'accepted', id: ctx.inboundMessages[0]!.message.id })
    assert.equal((await pending).status, 200)

    const failing = await setUp360({}, { onInbound: () => Promise.reject(new Error('store down')) })
    await assert.rejects(failing.post('/webhook', INBOUND.text), /store down/)
  })

  it('remembers each message’s WhatsApp id for read marks', async () => {
    const { ctx, post } = await setUp360()
    await post('/webhook', INBOUND.text)
    const id = ctx.inboundMessages[0]!.message.id
    assert.equal(
      await ctx.store.get(`wamid:${id}`),
      'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
    )
  })

  it('skips a malformed message of a batch with a warning and takes the rest', async () => {
    const { ctx, post, counters } = await setUp360()
    const body = JSON.parse(INBOUND.batch)
    delete body.entry[0].changes[0].value.messages[0].from
    const res = await post('/webhook', body)
    assert.equal(res.status, 200)
    assert.deepEqual(
      ctx.inboundMessages.map((m) => m.message.body.markdownText),
      ['second'],
    )
    assert.equal(counters.get('invalid_events'), 1)
    assert.ok(ctx.logs.some((l) => l.level === 'warn' && /malformed message/.test(l.msg ?? '')))
  })

  it('answers 400 to a body that is no webhook at all', async () => {
    const { ctx, post } = await setUp360()
    for (const body of ['not json', '[1,2]', JSON.stringify({ entry: 'x' })]) {
      const res = await post('/webhook', body)
      assert.equal(res.status, 400, body)
    }
    assert.equal(ctx.inboundMessages.length, 0)
  })
})

describe('statuses (recorded webhooks)', () => {
  const SENT = 'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA'
  const table: Array<[keyof typeof STATUS, ReceiptUpdate | undefined]> = [
    ['sent', { providerMessageId: SENT, status: 'sent' }],
    ['delivered', { providerMessageId: SENT, status: 'delivered' }],
    ['read', { providerMessageId: SENT, status: 'read' }],
    ['played', { providerMessageId: SENT, status: 'read' }],
    [
      'failed131047',
      {
        providerMessageId: SENT,
        status: 'failed',
        reasonCode: '131047',
        reason:
          'Re-engagement message: Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
      },
    ],
    [
      'onPremiseFailed470',
      {
        providerMessageId: 'gBGGEgZHMlEfAgkM1RBkhDRr7t8',
        status: 'failed',
        reasonCode: '470',
        reason:
          'Failed to send message because you are outside the support window for freeform messages to this user. Please use a valid HSM notification or reconsider.',
      },
    ],
    ['onPremiseDeleted', undefined],
  ]
  for (const [name, expected] of table) {
    it(`${name} → ${expected?.status ?? 'ignored'}`, async () => {
      const { ctx, post } = await setUp360()
      const res = await post('/webhook', STATUS[name])
      assert.equal(res.status, 200)
      assert.deepEqual(ctx.receipts, expected ? [expected] : [])
      assert.equal(ctx.inboundMessages.length, 0)
    })
  }

  it('counts WhatsApp’s error codes of failed statuses', async () => {
    const { post, counters } = await setUp360()
    await post('/webhook', STATUS.failed131047)
    assert.equal(counters.get('provider_errors'), 1)
  })
})

describe('other webhooks', () => {
  it('ignores changes that are not messages', async () => {
    const { ctx, post } = await setUp360()
    assert.equal((await post('/webhook', OTHER.templateApproved)).status, 200)
    assert.equal(ctx.inboundMessages.length + ctx.receipts.length, 0)
  })

  it('logs and counts errors WhatsApp reports in a webhook', async () => {
    const { ctx, post, counters } = await setUp360()
    assert.equal((await post('/webhook', OTHER.webhookError)).status, 200)
    assert.equal(counters.get('provider_errors'), 1)
    assert.ok(
      ctx.logs.some((l) => l.level === 'warn' && (l.obj as { code?: string }).code === '131000'),
    )
  })
})
