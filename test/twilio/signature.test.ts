import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { PUBLIC, SMS_NUMBER, startTwilioLoop, type TwilioLoop } from './setup.js'

let loop: TwilioLoop
before(async () => {
  loop = await startTwilioLoop()
})
after(() => loop.close())

const forgeries: Array<[string, Parameters<TwilioLoop['twilio']['sendSms']>[1]]> = [
  ['a wrong signature', { signature: 'bm90IGEgc2lnbmF0dXJl' }],
  ['no signature', { signature: null }],
  ['a signature for another URL', { signedUrl: 'https://attacker.example/webhooks/tw/message' }],
]

for (const [name, options] of forgeries) {
  test(`an incoming message with ${name} gets 403 and never reaches CCM`, async () => {
    const text = `forged: ${name}`
    const sent = await loop.twilio.sendSms(
      { from: '+15550299', to: SMS_NUMBER, body: text },
      options,
    )
    assert.equal(sent.answer?.status, 403)
    const body = sent.answer?.body as { error: { code: string; message: string } }
    assert.equal(body.error.code, 'BAD_SIGNATURE')
    // A genuine message sent afterwards arrives; the forged one never does.
    const marker = `genuine after ${name}`
    await loop.twilio.sendSms({ from: '+15550299', to: SMS_NUMBER, body: marker })
    await loop.ccm.waitFor((m) => m.body.markdownText === marker)
    assert.equal(loop.ccm.messages.filter((m) => m.body.markdownText === text).length, 0)
  })
}

test('a status callback with a bad signature gets 403 and no receipt reaches CCM', async () => {
  loop.twilio.nextStatusSequence([])
  await loop.ccm.sendOutbound({
    id: 'sig-out',
    serviceIdentifier: SMS_NUMBER,
    customerId: '+15550299',
    text: 'watch the receipts',
  })
  const [sent] = await loop.twilio.waitFor((m) => m.body === 'watch the receipts')
  const forged = await loop.twilio.postWebhook(
    `${PUBLIC}/webhooks/tw/status`,
    { MessageSid: sent!.sid, MessageStatus: 'delivered', AccountSid: loop.twilio.account.sid },
    { signature: 'Zm9yZ2Vk' },
  )
  assert.equal(forged.status, 403)
  const genuine = await loop.twilio.sendStatus(sent!.sid, 'read')
  assert.equal(genuine.answer?.status, 200)
  const notes = await loop.ccm.waitFor(
    (m) =>
      m.body.type === 'DELIVERYNOTIFICATION' &&
      (m.body as { messageId?: string }).messageId === 'sig-out',
  )
  assert.deepEqual(
    notes.map((m) => (m.body as { status: string }).status),
    ['READ'],
  )
})

test('refusals are counted in the metrics', async () => {
  const metrics = await (await fetch(`${loop.test.url}/metrics`)).text()
  assert.match(metrics, /plugboard_webhook_signature_failures_total\{connector="tw"\} [4-9]/)
  assert.match(
    metrics,
    /plugboard_plugin_twilio_signature_failures_total\{(?=[^}]*connector="tw")(?=[^}]*reason="mismatch")[^}]*\} [1-9]/,
  )
  assert.match(
    metrics,
    /plugboard_plugin_twilio_signature_failures_total\{(?=[^}]*connector="tw")(?=[^}]*reason="missing")[^}]*\} [1-9]/,
  )
})
