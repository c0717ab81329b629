import assert from 'node:assert/strict'
import { test } from 'node:test'
import { conversationKey, deliveryNotification, inboundMessage, text } from './builders.js'
import { parseCimMessage } from './parse.js'
import type { DeliveryStatus } from './types.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

test('inboundMessage builds the shape CX connectors send', () => {
  const message = inboundMessage({
    id: '1ac57790-b603-11ee-927d-85b1cd89bf0f',
    serviceIdentifier: '1422',
    customerId: '03335521995',
    timestamp: 1705583494537,
    body: text('hi'),
  })
  assert.deepEqual(message, {
    id: '1ac57790-b603-11ee-927d-85b1cd89bf0f',
    header: {
      sender: {
        id: 'plugboard',
        type: 'CONNECTOR',
        senderName: 'PLUGBOARD',
        additionalDetail: null,
      },
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
      originalMessageId: null,
      providerMessageId: null,
      schedulingMetaData: null,
    },
    body: { type: 'PLAIN', markdownText: 'hi' },
  })
  assert.ok(parseCimMessage(message).ok)
})

test('inboundMessage fills id and timestamp when not given', () => {
  const before = Date.now()
  const message = inboundMessage({ serviceIdentifier: '1', customerId: '2', body: text('x') })
  assert.match(message.id, UUID)
  assert.equal(typeof message.header.timestamp, 'number')
  assert.ok((message.header.timestamp as number) >= before)
  assert.notEqual(
    inboundMessage({ serviceIdentifier: '1', customerId: '2', body: text('x') }).id,
    message.id,
  )
})

test('inboundMessage carries every optional input', () => {
  const attribute = { key: 'conversationId', type: 'String2000', value: 'c-1' }
  const body = { type: 'LOCATION', location: { latitude: 1.5, longitude: 2.5 } } as const
  const message = inboundMessage({
    id: 'm-1',
    serviceIdentifier: '682200',
    customerId: '+923001234567',
    body,
    timestamp: '1700000000000',
    customerFirstName: 'Sana',
    customerLastName: 'Shoukat',
    channelTypeCode: 'CX_VOICE',
    requestPriority: 5,
    providerMessageId: 'SM123',
    additionalAttributes: [attribute],
    senderName: 'TWILIO_CONNECTOR',
    connectorId: 'tw-main',
    intent: 'START_CHAT',
    entities: { lang: 'en' },
  })
  assert.deepEqual(message.header.sender, {
    id: 'tw-main',
    type: 'CONNECTOR',
    senderName: 'TWILIO_CONNECTOR',
    additionalDetail: null,
  })
  assert.deepEqual(message.header.channelData, {
    channelCustomerIdentifier: '+923001234567',
    serviceIdentifier: '682200',
    requestPriority: 5,
    customerFirstName: 'Sana',
    customerLastName: 'Shoukat',
    additionalAttributes: [attribute],
    channelTypeCode: 'CX_VOICE',
  })
  assert.equal(message.header.timestamp, '1700000000000')
  assert.equal(message.header.providerMessageId, 'SM123')
  assert.equal(message.header.intent, 'START_CHAT')
  assert.deepEqual(message.header.entities, { lang: 'en' })
  assert.equal(message.body, body)
  const parsed = parseCimMessage(message)
  assert.ok(parsed.ok)
  assert.deepEqual(parsed.message, message)
})

test('inboundMessage leaves out the fields CX fills in', () => {
  const { header } = inboundMessage({ serviceIdentifier: '1', customerId: '2', body: text('x') })
  for (const key of ['channelSessionId', 'conversationId', 'customer', 'roomId']) {
    assert.equal(key in header, false, key)
  }
  assert.equal('channelTypeCode' in header.channelData, false)
})

test('text builds a PLAIN body', () => {
  assert.deepEqual(text('Hi *there*'), { type: 'PLAIN', markdownText: 'Hi *there*' })
})

test('deliveryNotification matches the connector-sent receipt', () => {
  const message = deliveryNotification({
    id: '65a923842d53786eb1603a81',
    messageId: '65a923832d53786eb1603a7e',
    status: 'READ',
    serviceIdentifier: '1422',
    customerId: '03335521995',
    timestamp: 1705583494600,
  })
  assert.equal(message.id, '65a923842d53786eb1603a81')
  assert.equal(message.header.sender.type, 'CONNECTOR')
  assert.equal(message.header.providerMessageId, '65a923832d53786eb1603a7e')
  assert.equal(message.header.timestamp, 1705583494600)
  assert.deepEqual(message.body, {
    type: 'DELIVERYNOTIFICATION',
    messageId: '65a923832d53786eb1603a7e',
    status: 'READ',
    markdownText: '',
    reasonCode: '200',
  })
  assert.ok(parseCimMessage(message).ok)
})

const reasonCodes: [DeliveryStatus, string | number | undefined, string][] = [
  ['DELIVERED', undefined, '200'],
  ['READ', undefined, '200'],
  ['CONNECTED', undefined, '200'],
  ['FAILED', undefined, '500'],
  ['FAILED', 404, '404'],
  ['FAILED', '400', '400'],
]

for (const [status, reasonCode, expected] of reasonCodes) {
  test(`deliveryNotification ${status} with reasonCode ${reasonCode} sends '${expected}'`, () => {
    const message = deliveryNotification({
      messageId: 'm',
      status,
      reasonCode,
      serviceIdentifier: 's',
      customerId: 'c',
    })
    assert.equal(message.body.reasonCode, expected)
  })
}

test('deliveryNotification uses the provider id and connector id when given', () => {
  const message = deliveryNotification({
    messageId: 'cim-1',
    status: 'DELIVERED',
    serviceIdentifier: 's',
    customerId: 'c',
    providerMessageId: 'SM123',
    connectorId: 'tw-main',
  })
  assert.equal(message.header.providerMessageId, 'SM123')
  assert.equal(message.header.sender.id, 'tw-main')
  assert.match(message.id, UUID)
})

test('conversationKey joins service and customer identifiers with a NUL', () => {
  const message = inboundMessage({ serviceIdentifier: '1422', customerId: '0333', body: text('') })
  assert.equal(conversationKey(message), '1422\u00000333')
  assert.notEqual(
    conversationKey(inboundMessage({ serviceIdentifier: '12', customerId: '3', body: text('') })),
    conversationKey(inboundMessage({ serviceIdentifier: '1', customerId: '23', body: text('') })),
  )
})
