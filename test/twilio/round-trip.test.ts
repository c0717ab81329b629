import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type DeliveryNotificationBody, isBodyType, type MediaBody } from '@plugboard/sdk'
import { quiet, SMS_NUMBER, startTwilioLoop, type TwilioLoop, WHATSAPP_NUMBER } from './setup.js'

let loop: TwilioLoop
before(async () => {
  loop = await startTwilioLoop()
})
after(() => loop.close())

const receipts = (messageId: string) => (m: { body: { type: string } }) =>
  isBodyType(m.body as never, 'DELIVERYNOTIFICATION') &&
  (m.body as DeliveryNotificationBody).messageId === messageId

test('an SMS reaches CCM once; Twilio gets empty TwiML', async () => {
  const sent = await loop.twilio.sendSms({ from: '+15550199', to: SMS_NUMBER, body: 'Hello there' })
  assert.equal(sent.answer?.status, 200)
  assert.equal(sent.answer?.body, '<Response></Response>')
  const [message] = await loop.ccm.waitFor((m) => m.body.markdownText === 'Hello there')
  assert.equal(message!.header.channelData.serviceIdentifier, SMS_NUMBER)
  assert.equal(message!.header.channelData.channelCustomerIdentifier, '+15550199')
  assert.equal(message!.header.providerMessageId, sent.messageSid)
  assert.equal(message!.header.sender.type, 'CONNECTOR')

  // Twilio retrying the same webhook is de-duplicated by MessageSid.
  const again = await loop.twilio.postWebhook(sent.url, sent.params)
  assert.equal(again.status, 200)
  await loop.twilio.sendSms({ from: '+15550199', to: SMS_NUMBER, body: 'marker' })
  await loop.ccm.waitFor((m) => m.body.markdownText === 'marker')
  assert.equal(loop.ccm.messages.filter((m) => m.body.markdownText === 'Hello there').length, 1)
})

test('a WhatsApp picture reaches CCM as an IMAGE copied to the file engine', async () => {
  const sent = await loop.twilio.sendWhatsApp({
    from: '+15550199',
    to: WHATSAPP_NUMBER,
    profileName: 'Ada Lovelace',
    body: 'is this broken?',
    media: [{ contentType: 'image/jpeg', content: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2]) }],
  })
  assert.equal(sent.answer?.status, 200)
  const [message] = await loop.ccm.waitFor((m) => m.header.providerMessageId === sent.messageSid)
  assert.ok(isBodyType(message!.body, 'IMAGE'))
  const body = message!.body as MediaBody
  assert.equal(body.caption, 'is this broken?')
  assert.equal(message!.header.channelData.serviceIdentifier, WHATSAPP_NUMBER)
  assert.equal(message!.header.channelData.channelCustomerIdentifier, '+15550199')
  assert.equal(message!.header.channelData.customerFirstName, 'Ada Lovelace')
  const stored = loop.fileEngine.files.at(-1)!
  assert.equal(body.attachment.mediaUrl, loop.fileEngine.downloadUrl(stored.name))
  const download = await fetch(body.attachment.mediaUrl)
  assert.deepEqual(
    new Uint8Array(await download.arrayBuffer()),
    new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2]),
  )
})

test('a WhatsApp location and a button reply reach CCM', async () => {
  const location = await loop.twilio.sendWhatsApp({
    from: '+15550199',
    to: WHATSAPP_NUMBER,
    location: { latitude: 48.8584, longitude: 2.2945, label: 'Eiffel Tower' },
  })
  const button = await loop.twilio.sendWhatsApp({
    from: '+15550199',
    to: WHATSAPP_NUMBER,
    button: { text: 'Talk to sales', payload: 'menu-sales' },
  })
  const [place] = await loop.ccm.waitFor((m) => m.header.providerMessageId === location.messageSid)
  assert.ok(isBodyType(place!.body, 'LOCATION'))
  assert.deepEqual(place!.body.location, { latitude: 48.8584, longitude: 2.2945 })
  const [tap] = await loop.ccm.waitFor((m) => m.header.providerMessageId === button.messageSid)
  assert.equal(tap!.body.markdownText, 'Talk to sales')
  assert.deepEqual(tap!.header.channelData.additionalAttributes, [
    { key: 'ButtonPayload', type: 'String2000', value: 'menu-sales' },
  ])
})

test('an agent reply goes out through Twilio; its receipts come back as DELIVERYNOTIFICATIONs', async () => {
  const answer = await loop.ccm.sendOutbound({
    id: 'agent-sms-1',
    serviceIdentifier: SMS_NUMBER,
    customerId: '+15550199',
    text: 'How can I help?',
  })
  assert.equal(answer.status, 200)
  const [sent] = await loop.twilio.waitFor((m) => m.body === 'How can I help?')
  assert.equal(sent!.to, '+15550199')
  assert.equal(sent!.from, SMS_NUMBER)
  assert.equal(sent!.statusCallback, 'https://hooks.plugboard.test/webhooks/tw/status')
  const notes = await loop.ccm.waitFor(receipts('agent-sms-1'), { count: 2 })
  assert.deepEqual(
    notes.map((m) => (m.body as DeliveryNotificationBody).status),
    ['DELIVERED', 'READ'],
  )
  assert.equal(notes[0]!.header.providerMessageId, sent!.sid)
  assert.equal(notes[0]!.header.channelData.serviceIdentifier, SMS_NUMBER)
})

test('a WhatsApp reply is addressed to whatsapp:+… and out-of-order callbacks never go backwards', async () => {
  loop.twilio.nextStatusSequence(['read', 'sent', 'delivered'])
  await loop.ccm.sendOutbound({
    id: 'agent-wa-1',
    serviceIdentifier: WHATSAPP_NUMBER,
    customerId: '+15550199',
    text: 'Read before delivered',
  })
  const [sent] = await loop.twilio.waitFor((m) => m.body === 'Read before delivered')
  assert.equal(sent!.to, 'whatsapp:+15550199')
  const callbacks = await loop.twilio.waitForCallbacks((c) => c.messageSid === sent!.sid, {
    count: 3,
  })
  assert.deepEqual(
    callbacks.map((c) => [c.status, c.answer?.status]),
    [
      ['read', 200],
      ['sent', 200],
      ['delivered', 200],
    ],
  )
  await quiet(loop.test)
  const notes = loop.ccm.messages.filter(receipts('agent-wa-1'))
  assert.deepEqual(
    notes.map((m) => (m.body as DeliveryNotificationBody).status),
    ['READ'],
    'the late "delivered" must not follow "read"',
  )
})

test('a failed status callback becomes a FAILED notification with Twilio’s error code', async () => {
  loop.twilio.nextStatusSequence(['sent', { status: 'failed', errorCode: 63016 }])
  await loop.ccm.sendOutbound({
    id: 'agent-wa-late',
    serviceIdentifier: WHATSAPP_NUMBER,
    customerId: '+15550188',
    text: 'Outside the window',
  })
  const [failed] = await loop.ccm.waitFor(receipts('agent-wa-late'))
  const body = failed!.body as DeliveryNotificationBody
  assert.equal(body.status, 'FAILED')
  assert.equal(String(body.reasonCode), '63016')
})
