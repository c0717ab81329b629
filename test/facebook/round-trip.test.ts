import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { DeliveryNotificationBody, MediaBody } from '@plugboard/sdk'
import {
  type FacebookLoop,
  notificationsOf,
  PAGE_A,
  PAGE_B,
  quiet,
  startFacebookLoop,
  VERIFY_TOKEN,
} from './setup.js'

let loop: FacebookLoop
before(async () => {
  loop = await startFacebookLoop()
})
after(() => loop.close())

const attribute = (
  m: { header: { channelData: { additionalAttributes?: unknown } } },
  key: string,
) =>
  (
    m.header.channelData.additionalAttributes as Array<{ key: string; value: unknown }> | null
  )?.find((a) => a.key === key)?.value

test('Meta’s verification handshake gets the challenge back; a wrong token gets 403', async () => {
  const ok = await loop.graph.verify({ verifyToken: VERIFY_TOKEN, challenge: '987654321' })
  assert.deepEqual([ok.status, ok.body], [200, '987654321'])
  assert.match(ok.contentType ?? '', /^text\/plain/)
  const wrong = await loop.graph.verify({ verifyToken: 'guessed', challenge: '1' })
  assert.equal(wrong.status, 403)
  assert.doesNotMatch(wrong.body, /987654321|e2e-verify-token/)
})

test('a text reaches CCM once, even when Meta posts the batch again', async () => {
  const psid = loop.graph.newPsid()
  const sent = await loop.graph.sendText({ psid, pageId: PAGE_A, text: 'Hello there' })
  assert.equal(sent.answer?.status, 200)
  const [message] = await loop.ccm.waitFor((m) => m.header.providerMessageId === sent.mid)
  assert.equal(message!.body.markdownText, 'Hello there')
  assert.equal(message!.header.channelData.serviceIdentifier, PAGE_A)
  assert.equal(message!.header.channelData.channelCustomerIdentifier, psid)
  assert.equal(message!.header.sender.type, 'CONNECTOR')

  const again = await loop.graph.postRaw(sent.body)
  assert.equal(again.answer?.status, 200)
  const marker = await loop.graph.sendText({ psid, pageId: PAGE_A, text: 'marker' })
  await loop.ccm.waitFor((m) => m.header.providerMessageId === marker.mid)
  assert.equal(loop.ccm.messages.filter((m) => m.header.providerMessageId === sent.mid).length, 1)
})

test('a photo reaches CCM as an IMAGE copied to the file engine', async () => {
  const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 7, 7, 7])
  const sent = await loop.graph.sendAttachments({
    psid: loop.graph.newPsid(),
    pageId: PAGE_A,
    text: 'is this broken?',
    attachments: [
      { type: 'image', contentType: 'image/jpeg', content: bytes, fileName: 'broken.jpg' },
    ],
  })
  assert.equal(sent.answer?.status, 200)
  const [message] = await loop.ccm.waitFor((m) => m.header.providerMessageId === sent.mid)
  assert.equal(message!.body.type, 'IMAGE')
  const body = message!.body as MediaBody
  assert.equal(body.caption, 'is this broken?')
  assert.equal(body.attachment.mimeType, 'image/jpeg')
  assert.equal(body.attachment.mediaName, 'broken.jpg')
  const stored = loop.fileEngine.files.at(-1)!
  assert.equal(stored.originalName, 'broken.jpg')
  assert.equal(body.attachment.mediaUrl, loop.fileEngine.downloadUrl(stored.name))
  const download = await fetch(body.attachment.mediaUrl)
  assert.deepEqual(new Uint8Array(await download.arrayBuffer()), bytes)
  assert.deepEqual(
    loop.graph.attachmentRequests.slice(-2).map((r) => [r.where, r.status]),
    [
      ['lookaside', 302],
      ['cdn', 200],
    ],
  )
})

test('a postback and a quick reply reach CCM with their payloads', async () => {
  const psid = loop.graph.newPsid()
  const postback = await loop.graph.sendPostback({
    psid,
    pageId: PAGE_B,
    title: 'Talk to sales',
    payload: 'MENU_SALES',
  })
  const quick = await loop.graph.sendText({
    psid,
    pageId: PAGE_B,
    text: 'Blue',
    quickReplyPayload: 'COLOR_BLUE',
  })
  const [tap] = await loop.ccm.waitFor((m) => m.header.providerMessageId === postback.mid)
  assert.equal(tap!.body.markdownText, 'Talk to sales')
  assert.equal(attribute(tap!, 'ButtonPayload'), 'MENU_SALES')
  assert.equal(tap!.header.channelData.serviceIdentifier, PAGE_B)
  const [reply] = await loop.ccm.waitFor((m) => m.header.providerMessageId === quick.mid)
  assert.equal(reply!.body.markdownText, 'Blue')
  assert.equal(attribute(reply!, 'ButtonPayload'), 'COLOR_BLUE')
})

test('an agent reply with quick replies goes out on its page; watermarks come back as DELIVERED and READ', async () => {
  const psid = loop.graph.newPsid()
  await loop.graph.sendText({ psid, pageId: PAGE_B, text: 'which sizes?' })
  await loop.ccm.waitFor((m) => m.body.markdownText === 'which sizes?')
  const answer = await loop.ccm.sendOutbound({
    id: 'fb-agent-1',
    serviceIdentifier: PAGE_B,
    customerId: psid,
    body: {
      type: 'BUTTON',
      markdownText: 'Pick a size',
      buttons: [
        { title: 'S', payload: 'SIZE_S' },
        { title: 'M', payload: 'SIZE_M' },
        { title: 'L', payload: 'SIZE_L' },
      ],
    },
  })
  assert.equal(answer.status, 200)
  const [sent] = await loop.graph.waitFor((m) => m.recipientId === psid)
  assert.equal(sent!.pageId, PAGE_B, 'sent with page B’s token')
  assert.equal(sent!.messagingType, 'RESPONSE')
  assert.equal(sent!.text, 'Pick a size')
  assert.deepEqual(
    sent!.quickReplies?.map((q) => q.payload),
    ['SIZE_S', 'SIZE_M', 'SIZE_L'],
  )

  // Receipts that beat the host's record of the send are kept and applied, but only in the
  // order they came; waiting here makes DELIVERED-then-READ the order CCM sees.
  await quiet(loop.test)
  await loop.graph.sendDelivery({ psid, pageId: PAGE_B })
  await loop.graph.sendRead({ psid, pageId: PAGE_B })
  const notes = await loop.ccm.waitFor(notificationsOf('fb-agent-1'), { count: 2 })
  assert.deepEqual(
    notes.map((m) => (m.body as DeliveryNotificationBody).status),
    ['DELIVERED', 'READ'],
  )
  assert.equal(notes[0]!.header.providerMessageId, sent!.mid)
  assert.equal(notes[0]!.header.channelData.serviceIdentifier, PAGE_B)
  assert.equal(notes[0]!.header.channelData.channelCustomerIdentifier, psid)
})

test('a read watermark alone reports every earlier reply, each once', async () => {
  const psid = loop.graph.newPsid()
  await loop.graph.sendText({ psid, pageId: PAGE_A, text: 'hi twice' })
  await loop.ccm.waitFor((m) => m.body.markdownText === 'hi twice')
  for (const id of ['fb-r1', 'fb-r2']) {
    await loop.ccm.sendOutbound({ id, serviceIdentifier: PAGE_A, customerId: psid, text: id })
    await loop.graph.waitFor((m) => m.text === id)
  }
  await quiet(loop.test)
  await loop.graph.sendRead({ psid, pageId: PAGE_A })
  await loop.graph.sendRead({ psid, pageId: PAGE_A })
  for (const id of ['fb-r1', 'fb-r2']) {
    const notes = await loop.ccm.waitFor(notificationsOf(id), { count: 2 })
    assert.deepEqual(
      notes.map((m) => (m.body as DeliveryNotificationBody).status),
      ['DELIVERED', 'READ'],
    )
  }
})

test('typing indicators from CCM become sender actions', async () => {
  const psid = loop.graph.newPsid()
  await loop.graph.sendText({ psid, pageId: PAGE_A, text: 'anyone there?' })
  await loop.ccm.waitFor((m) => m.body.markdownText === 'anyone there?')
  for (const notificationType of ['TYPING_STARTED', 'TYPING_STOPPED']) {
    await loop.ccm.sendOutbound({
      serviceIdentifier: PAGE_A,
      customerId: psid,
      body: { type: 'NOTIFICATION', notificationType },
    })
  }
  const actions = await loop.graph.waitForActions((a) => a.recipientId === psid, { count: 2 })
  assert.deepEqual(
    actions.map((a) => a.action),
    ['typing_on', 'typing_off'],
  )
  assert.equal(loop.graph.messages.filter((m) => m.recipientId === psid).length, 0)
})
