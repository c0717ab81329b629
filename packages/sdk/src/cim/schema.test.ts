import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isBodyType, parseCimMessage } from './parse.js'
import { CimBodySchema, CimMessageSchema, KNOWN_BODY_TYPES } from './schema.js'

// Sender, channel data and header as the LiveKit agent posts them (spec §2.1).
const sender = {
  id: '460df46c-adf9-11ed-afa1-0242ac120002',
  type: 'CONNECTOR',
  senderName: 'WEB_CONNECTOR',
  additionalDetail: null,
}
const channelData = { channelCustomerIdentifier: '03335521995', serviceIdentifier: '1422' }
const header = { sender, channelData }

function withBody(body: unknown): Record<string, unknown> {
  return { id: 'b7d4b1a0-5f3c-4d0e-9a43-1f2e3d4c5b6a', header, body }
}

const liveKitInbound = {
  id: '6f1c1c52-0d1e-4c8e-9a37-0b8f1e7b0c11',
  header: {
    channelData: {
      channelCustomerIdentifier: '+923001234567',
      serviceIdentifier: '682200',
      channelTypeCode: 'CX_VOICE',
    },
    sender,
    language: {},
    timestamp: '1700000000000',
    securityInfo: {},
    stamps: [],
    intent: '',
    originalMessageId: null,
    schedulingMetaData: null,
    entities: {},
  },
  body: { type: 'PLAIN', markdownText: 'hello' },
}

const storedWebInbound = {
  id: '1ac57790-b603-11ee-927d-85b1cd89bf0f',
  header: {
    sender,
    channelData: {
      channelCustomerIdentifier: '03335521995',
      serviceIdentifier: '1422',
      requestPriority: 0,
      customerFirstName: null,
      customerLastName: null,
      additionalAttributes: [],
    },
    language: {},
    timestamp: 1705583494537,
    securityInfo: {},
    stamps: [],
    intent: null,
    entities: null,
    channelSessionId: '65a92383b78fb640edaf17bc',
    conversationId: '65a923832d53786eb16039f0',
    customer: {
      _id: '65a4d5ac075b87a95bd93267',
      firstName: 'sana shoukat',
      phoneNumber: [],
      isAnonymous: true,
      __v: 0,
      web: ['03335521995'],
    },
    originalMessageId: null,
    providerMessageId: null,
    roomId: '65a6027c0e01d858eb846b27',
    schedulingMetaData: null,
  },
  body: { type: 'PLAIN', markdownText: 'hi' },
}

const connectorReceipt = {
  id: '65a923842d53786eb1603a81',
  header: { sender, channelData, providerMessageId: '65a923832d53786eb1603a7e' },
  body: {
    type: 'DELIVERYNOTIFICATION',
    messageId: '65a923832d53786eb1603a7e',
    status: 'READ',
    markdownText: '',
    reasonCode: '200',
  },
}

// Spec §3.3, with the elided parts filled in.
const docBodies: Record<string, unknown> = {
  PLAIN: { type: 'PLAIN', markdownText: 'Hi' },
  IMAGE: {
    type: 'IMAGE',
    caption: 'Screenshot',
    attachment: {
      mediaUrl: 'https://cx.example.com/file-engine/api/downloadFileStream?filename=shot.jpg',
      thumbnail: null,
      mimeType: 'image/jpeg',
      size: 41047,
    },
    markdownText: null,
    additionalDetails: { timestamp: '1652080145' },
  },
  FILE: {
    type: 'FILE',
    caption: null,
    attachment: {
      mediaUrl: 'https://cx.example.com/file-engine/api/downloadFileStream?filename=a.pdf',
      mimeType: 'application/pdf',
      size: 1200,
    },
    additionalDetails: { fileName: 'a.pdf' },
  },
  LOCATION: {
    type: 'LOCATION',
    location: { latitude: 31.51335334777832, longitude: 74.3333969116211 },
    markdownText: null,
    additionalDetails: { name: 'Expertflow', address: 'Lahore', url: null },
  },
  URL: {
    type: 'URL',
    markdownText: 'You can download our Android app from this link.',
    mediaUrl: 'https://play.google.com/store/apps/details?id=com.example',
  },
  BUTTON: {
    type: 'BUTTON',
    markdownText: 'Hi',
    buttonMessageType: 'BUTTON',
    additionalDetails: {
      interactive: {
        type: 'list',
        button: 'Main Menue',
        header: { type: 'text', text: 'Menu' },
        body: { text: 'Choose one' },
        footer: { text: 'Thanks' },
      },
    },
    buttons: [
      {
        type: 'String',
        title: 'Button 1',
        payload: '0b0e6c3e-7a7f-4c4e-8f0e-4b9f5d0c2a11',
        additionalButtonDetails: { sectionNo: 1, sectionTitle: 'menue 1', description: 'First' },
      },
    ],
  },
  CONTACT: {
    type: 'CONTACT',
    markdownText: null,
    contacts: [
      {
        name: {
          formattedName: 'Jane Doe',
          additionalNameDetails: { first_name: 'Jane', last_name: 'Doe' },
        },
        phones: [
          { phone: '+15550100', additionalPhoneDetails: { type: 'CELL', wa_id: '15550100' } },
        ],
        additionalContactDetails: { addresses: [], emails: [], org: {}, urls: [], ims: [] },
      },
    ],
  },
  NOTIFICATION: {
    type: 'NOTIFICATION',
    markdownText: 'Optional',
    notificationType: 'TYPING_STARTED',
  },
  DELIVERYNOTIFICATION: {
    type: 'DELIVERYNOTIFICATION',
    markdownText: 'Optional',
    messageId: 'abc12345',
    status: 'READ',
    reasonCode: 200,
  },
}

const messages: Record<string, unknown> = {
  '§2.1 LiveKit inbound': liveKitInbound,
  '§3.4 stored web inbound': storedWebInbound,
  '§3.3 connector-sent receipt': connectorReceipt,
  ...Object.fromEntries(Object.entries(docBodies).map(([type, body]) => [type, withBody(body)])),
}

for (const [name, input] of Object.entries(messages)) {
  test(`${name} parses and round-trips unchanged`, () => {
    const snapshot = structuredClone(input)
    const result = parseCimMessage(input)
    assert.ok(result.ok, JSON.stringify(!result.ok && result.issues))
    assert.deepEqual(result.message, snapshot)
    assert.deepEqual(input, snapshot)
  })
}

const malformed: [name: string, input: unknown, path: string][] = [
  [
    'missing serviceIdentifier',
    {
      id: 'x',
      header: { sender, channelData: { channelCustomerIdentifier: '1' } },
      body: docBodies.PLAIN,
    },
    'header.channelData.serviceIdentifier',
  ],
  [
    'empty serviceIdentifier',
    {
      ...withBody(docBodies.PLAIN),
      header: { sender, channelData: { ...channelData, serviceIdentifier: '' } },
    },
    'header.channelData.serviceIdentifier',
  ],
  ['body without type', withBody({ markdownText: 'hi' }), 'body.type'],
  ['body with empty type', withBody({ type: '' }), 'body.type'],
  [
    'LOCATION with a string latitude',
    withBody({ type: 'LOCATION', location: { latitude: '31.5', longitude: 74.3 } }),
    'body.location.latitude',
  ],
  [
    'DELIVERYNOTIFICATION with an unknown status',
    withBody({ type: 'DELIVERYNOTIFICATION', messageId: 'abc', status: 'SEEN' }),
    'body.status',
  ],
  [
    'DELIVERYNOTIFICATION without messageId',
    withBody({ type: 'DELIVERYNOTIFICATION', status: 'READ' }),
    'body.messageId',
  ],
  ['IMAGE without attachment', withBody({ type: 'IMAGE', caption: 'x' }), 'body.attachment'],
  [
    'BUTTON with a numeric title',
    withBody({ type: 'BUTTON', buttons: [{ title: 1 }] }),
    'body.buttons.0.title',
  ],
  ['missing id', { header, body: docBodies.PLAIN }, 'id'],
  [
    'sender without type',
    { ...withBody(docBodies.PLAIN), header: { sender: { id: 's' }, channelData } },
    'header.sender.type',
  ],
  [
    'missing channelData',
    { ...withBody(docBodies.PLAIN), header: { sender } },
    'header.channelData',
  ],
  ['not an object', 'hello', ''],
]

for (const [name, input, path] of malformed) {
  test(`rejects ${name} at '${path}'`, () => {
    const result = parseCimMessage(input)
    assert.equal(result.ok, false)
    assert.ok(!result.ok)
    assert.deepEqual(
      result.issues.map((issue) => issue.path),
      [path],
    )
    assert.ok(result.issues.every((issue) => issue.message.length > 0))
  })
}

test('an unknown body type passes through untouched', () => {
  const body = {
    type: 'STRUCTURED',
    markdownText: 42,
    nested: { deep: [1, { two: 2 }] },
    additionalDetail: null,
  }
  const input = withBody(body)
  const result = parseCimMessage(input)
  assert.ok(result.ok)
  assert.deepEqual(result.message, structuredClone(input))
})

test('a body type named after an Object.prototype key is treated as unknown', () => {
  assert.deepEqual(CimBodySchema.parse({ type: 'constructor' }), { type: 'constructor' })
})

test('unknown header, channel data, sender and body keys pass through', () => {
  const input = {
    id: '1',
    extra: { top: true },
    header: {
      sender: { ...sender, type: 'WORKFLOW', avatar: 'x' },
      channelData: { ...channelData, region: 'eu' },
      channelSession: { id: 'abc', state: { name: 'STARTED' } },
      replyToMessageId: 'r1',
      intent: 'SOMETHING_NEW',
    },
    body: {
      ...(docBodies.LOCATION as object),
      accuracy: 5,
      location: { latitude: 1, longitude: 2, alt: 3 },
    },
  }
  assert.deepEqual(CimMessageSchema.parse(input), structuredClone(input))
})

test('tolerates nulls and alternative scalar types where CCM does', () => {
  const input = {
    id: '1',
    header: {
      sender,
      channelData,
      timestamp: '1705583494537',
      channelSessionId: null,
      conversationId: null,
      customer: null,
      roomId: null,
      originalMessageId: null,
      providerMessageId: null,
      intent: null,
      entities: null,
      schedulingMetaData: null,
    },
    body: { type: 'DELIVERYNOTIFICATION', messageId: 'm', status: 'FAILED', reasonCode: 404 },
  }
  assert.deepEqual(CimMessageSchema.parse(input), structuredClone(input))
  assert.ok(parseCimMessage(withBody({ type: 'PLAIN' })).ok)
  assert.ok(parseCimMessage(withBody({ type: 'PLAIN', markdownText: null })).ok)
})

test('every known body type has a schema that rejects a wrong field type', () => {
  // Every body schema declares `markdownText`, so a number there only passes for a type that
  // fell through to the generic check.
  for (const type of KNOWN_BODY_TYPES) {
    const result = CimBodySchema.safeParse({ type, markdownText: 1 })
    assert.equal(result.success, false, type)
  }
})

test('isBodyType narrows known and unknown body types', () => {
  const result = parseCimMessage(withBody(docBodies.LOCATION))
  assert.ok(result.ok)
  const { body } = result.message
  assert.equal(isBodyType(body, 'PLAIN'), false)
  assert.ok(isBodyType(body, 'LOCATION'))
  const latitude: number = body.location.latitude
  assert.equal(latitude, 31.51335334777832)
  assert.ok(isBodyType({ type: 'STRUCTURED' }, 'STRUCTURED'))
})
