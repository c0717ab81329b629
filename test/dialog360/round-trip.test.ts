import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type DeliveryNotificationBody, isBodyType, type MediaBody } from '@plugboard/sdk'
import { type Dialog360Loop, NUMBER, notificationsOf, quiet, startDialog360Loop } from './setup.js'

let loop: Dialog360Loop
before(async () => {
  loop = await startDialog360Loop()
})
after(() => loop.close())

const CUSTOMER = '4917612345678'

test('the connector registered its webhook URL and token header at start', () => {
  const registration = loop.d360.registrations.at(-1)!
  assert.equal(registration.url, 'https://hooks.plugboard.test/webhooks/d360/webhook')
  assert.deepEqual(Object.keys(registration.headers), ['X-Plugboard-Token'])
})

test('a text reaches CCM once; a redelivered webhook is dropped by its WhatsApp id', async () => {
  const sent = await loop.d360.sendInbound({
    from: CUSTOMER,
    name: 'Ada Lovelace',
    text: 'Hello there',
  })
  assert.equal(sent.answer?.status, 200)
  const [message] = await loop.ccm.waitFor((m) => m.body.markdownText === 'Hello there')
  assert.equal(message!.header.channelData.serviceIdentifier, NUMBER)
  assert.equal(message!.header.channelData.channelCustomerIdentifier, CUSTOMER)
  assert.equal(message!.header.channelData.customerFirstName, 'Ada Lovelace')
  assert.equal(message!.header.providerMessageId, sent.messageId)
  assert.equal(message!.header.sender.type, 'CONNECTOR')

  // 360dialog delivering the same webhook again (it retries on anything but 200).
  const again = await loop.d360.postWebhook(sent.body)
  assert.equal(again.answer?.status, 200)
  await loop.d360.sendInbound({ from: CUSTOMER, text: 'marker' })
  await loop.ccm.waitFor((m) => m.body.markdownText === 'marker')
  assert.equal(loop.ccm.messages.filter((m) => m.body.markdownText === 'Hello there').length, 1)
})

test('a picture reaches CCM as an IMAGE copied to the file engine', async () => {
  const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4])
  const sent = await loop.d360.sendInbound({
    from: CUSTOMER,
    media: { kind: 'image', content: bytes, mimeType: 'image/jpeg', caption: 'is this broken?' },
  })
  assert.equal(sent.answer?.status, 200)
  const [message] = await loop.ccm.waitFor((m) => m.header.providerMessageId === sent.messageId)
  assert.ok(isBodyType(message!.body, 'IMAGE'))
  const body = message!.body as MediaBody
  assert.equal(body.caption, 'is this broken?')
  const stored = loop.fileEngine.files.at(-1)!
  assert.equal(body.attachment.mediaUrl, loop.fileEngine.downloadUrl(stored.name))
  const download = await fetch(body.attachment.mediaUrl)
  assert.deepEqual(new Uint8Array(await download.arrayBuffer()), bytes)
  assert.deepEqual(
    loop.d360.mediaRequests.map((r) => [r.step, r.status]),
    [
      ['lookup', 200],
      ['download', 200],
    ],
  )
})

test('a document, a location and a list reply reach CCM', async () => {
  const document = await loop.d360.sendInbound({
    from: CUSTOMER,
    media: {
      kind: 'document',
      content: '%PDF-1.4',
      mimeType: 'application/pdf',
      filename: 'offer.pdf',
    },
  })
  const place = await loop.d360.sendInbound({
    from: CUSTOMER,
    location: { latitude: 48.8584, longitude: 2.2945, name: 'Eiffel Tower' },
  })
  const reply = await loop.d360.sendInbound({
    from: CUSTOMER,
    reply: { id: 'plan-gold', title: 'Gold', list: true },
  })
  const [file] = await loop.ccm.waitFor((m) => m.header.providerMessageId === document.messageId)
  assert.ok(isBodyType(file!.body, 'FILE'))
  assert.equal((file!.body as MediaBody).attachment.mediaName, 'offer.pdf')
  const [location] = await loop.ccm.waitFor((m) => m.header.providerMessageId === place.messageId)
  assert.ok(isBodyType(location!.body, 'LOCATION'))
  assert.deepEqual(location!.body.location, { latitude: 48.8584, longitude: 2.2945 })
  const [tap] = await loop.ccm.waitFor((m) => m.header.providerMessageId === reply.messageId)
  assert.equal(tap!.body.markdownText, 'Gold')
  assert.deepEqual(tap!.header.channelData.additionalAttributes, [
    { key: 'ButtonPayload', type: 'String2000', value: 'plan-gold' },
  ])
})

test('the On-Premise webhook shape is read too', async () => {
  const sent = await loop.d360.sendInbound(
    { from: CUSTOMER, text: 'old shape' },
    { shape: 'on-premise' },
  )
  assert.equal(sent.answer?.status, 200)
  const [message] = await loop.ccm.waitFor((m) => m.body.markdownText === 'old shape')
  assert.equal(message!.header.channelData.serviceIdentifier, NUMBER)
})

test('an agent reply goes out through 360dialog; its statuses come back as DELIVERYNOTIFICATIONs', async () => {
  const answer = await loop.ccm.sendOutbound({
    id: 'agent-1',
    serviceIdentifier: NUMBER,
    customerId: CUSTOMER,
    text: 'How can I help?',
  })
  assert.equal(answer.status, 200)
  const [sent] = await loop.d360.waitFor((m) => m.text === 'How can I help?')
  assert.equal(sent!.to, CUSTOMER)
  assert.equal(sent!.from, NUMBER)
  assert.equal(sent!.body.messaging_product, 'whatsapp')
  const notes = await loop.ccm.waitFor(notificationsOf('agent-1'), { count: 2 })
  assert.deepEqual(
    notes.map((m) => (m.body as DeliveryNotificationBody).status),
    ['DELIVERED', 'READ'],
  )
  assert.equal(notes[0]!.header.providerMessageId, sent!.id)
  assert.equal(notes[0]!.header.channelData.serviceIdentifier, NUMBER)
})

test('buttons go out as an interactive message the Cloud API accepts', async () => {
  await loop.ccm.sendOutbound({
    id: 'agent-buttons',
    serviceIdentifier: NUMBER,
    customerId: CUSTOMER,
    body: {
      type: 'BUTTON',
      markdownText: 'Anything else?',
      buttons: [
        { title: 'Yes', payload: 'more' },
        { title: 'No, thanks', payload: 'done' },
      ],
    },
  })
  const [sent] = await loop.d360.waitFor((m) => m.text === 'Anything else?')
  assert.equal(sent!.type, 'interactive')
  assert.equal((sent!.body.interactive as { type: string }).type, 'button')
})

test('out-of-order statuses never move a message backwards', async () => {
  loop.d360.nextStatusSequence(['read', 'sent', 'delivered'])
  await loop.ccm.sendOutbound({
    id: 'agent-2',
    serviceIdentifier: NUMBER,
    customerId: CUSTOMER,
    text: 'Read before delivered',
  })
  const [sent] = await loop.d360.waitFor((m) => m.text === 'Read before delivered')
  const posted = await loop.d360.waitForWebhooks((w) => w.messageId === sent!.id, { count: 3 })
  assert.deepEqual(
    posted.map((w) => [w.status, w.answer?.status]),
    [
      ['read', 200],
      ['sent', 200],
      ['delivered', 200],
    ],
  )
  await quiet(loop.test)
  assert.deepEqual(
    loop.ccm.messages
      .filter(notificationsOf('agent-2'))
      .map((m) => (m.body as DeliveryNotificationBody).status),
    ['READ'],
  )
})

test('a failed status becomes a FAILED notification with WhatsApp’s error code', async () => {
  loop.d360.nextStatusSequence(['sent', { status: 'failed', code: 131047 }])
  await loop.ccm.sendOutbound({
    id: 'agent-3',
    serviceIdentifier: NUMBER,
    customerId: '4917600000003',
    text: 'Outside the window',
  })
  const [failed] = await loop.ccm.waitFor(notificationsOf('agent-3'))
  const body = failed!.body as DeliveryNotificationBody
  assert.equal(body.status, 'FAILED')
  assert.equal(String(body.reasonCode), '131047')
})

test('CCM’s READ for a customer message marks it read in WhatsApp', async () => {
  const sent = await loop.d360.sendInbound({ from: CUSTOMER, text: 'please read me' })
  const [message] = await loop.ccm.waitFor((m) => m.header.providerMessageId === sent.messageId)
  await loop.ccm.sendOutbound({
    id: 'read-1',
    serviceIdentifier: NUMBER,
    customerId: CUSTOMER,
    body: {
      type: 'DELIVERYNOTIFICATION',
      messageId: message!.id,
      status: 'READ',
      markdownText: '',
    },
  })
  const deadline = Date.now() + 15_000
  while (!loop.d360.reads.includes(sent.messageId!)) {
    assert.ok(Date.now() < deadline, 'the read mark did not arrive')
    await new Promise((r) => setTimeout(r, 20))
  }
})
