import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Dialog360PostOptions } from '@plugboard/testkit'
import { type Dialog360Loop, NUMBER, notificationsOf, startDialog360Loop } from './setup.js'

const CUSTOMER = '4917612340000'

describe('webhook token (registered with the webhook URL)', () => {
  let loop: Dialog360Loop
  before(async () => {
    loop = await startDialog360Loop()
  })
  after(() => loop.close())

  const forgeries: Array<[string, Dialog360PostOptions]> = [
    ['no token', { headers: null }],
    ['a wrong token', { headers: { 'X-Plugboard-Token': 'guessed-token-value-123' } }],
    ['the token in another header', { headers: { Authorization: 'Bearer guessed-token-value' } }],
  ]
  for (const [name, options] of forgeries) {
    test(`a message with ${name} gets 403 and never reaches CCM`, async () => {
      const text = `forged: ${name}`
      const sent = await loop.d360.sendInbound({ from: CUSTOMER, text }, options)
      assert.equal(sent.answer?.status, 403)
      assert.equal(
        (sent.answer?.body as { error?: { code?: string } } | undefined)?.error?.code,
        'BAD_TOKEN',
      )
      // A genuine message sent afterwards arrives; the forged one never does.
      const marker = `genuine after ${name}`
      await loop.d360.sendInbound({ from: CUSTOMER, text: marker })
      await loop.ccm.waitFor((m) => m.body.markdownText === marker)
      assert.equal(loop.ccm.messages.filter((m) => m.body.markdownText === text).length, 0)
    })
  }

  test('a status with a wrong token gets 403 and no receipt reaches CCM', async () => {
    loop.d360.nextStatusSequence([])
    await loop.ccm.sendOutbound({
      id: 'token-out',
      serviceIdentifier: NUMBER,
      customerId: CUSTOMER,
      text: 'watch the statuses',
    })
    const [sent] = await loop.d360.waitFor((m) => m.text === 'watch the statuses')
    const forged = await loop.d360.sendStatus(sent!.id, 'delivered', {
      headers: { 'X-Plugboard-Token': 'nope-nope-nope-nope' },
    })
    assert.equal(forged.answer?.status, 403)
    const genuine = await loop.d360.sendStatus(sent!.id, 'read')
    assert.equal(genuine.answer?.status, 200)
    const notes = await loop.ccm.waitFor(notificationsOf('token-out'))
    assert.deepEqual(
      notes.map((m) => (m.body as { status: string }).status),
      ['READ'],
    )
  })

  test('refusals are counted in the metrics', async () => {
    const metrics = await (await fetch(`${loop.test.url}/metrics`)).text()
    assert.match(metrics, /plugboard_webhook_signature_failures_total\{connector="d360"\} [4-9]/)
    assert.match(
      metrics,
      /plugboard_plugin_360dialog_webhook_auth_failures_total\{(?=[^}]*connector="d360")(?=[^}]*reason="missing")[^}]*\} [1-9]/,
    )
    assert.match(
      metrics,
      /plugboard_plugin_360dialog_webhook_auth_failures_total\{(?=[^}]*connector="d360")(?=[^}]*reason="mismatch")[^}]*\} [1-9]/,
    )
  })
})

describe('partner signature (x-360dialog-signature)', () => {
  const SECRET = 'partner-platform-secret-for-tests'
  let loop: Dialog360Loop
  before(async () => {
    loop = await startDialog360Loop({
      simulator: { partnerSecret: SECRET },
      connector: { partnerSecret: SECRET },
    })
  })
  after(() => loop.close())

  test('a signed message reaches CCM', async () => {
    const sent = await loop.d360.sendInbound({ from: CUSTOMER, text: 'signed hello' })
    assert.equal(sent.answer?.status, 200)
    await loop.ccm.waitFor((m) => m.body.markdownText === 'signed hello')
  })

  const forgeries: Array<[string, Dialog360PostOptions]> = [
    ['no signature', { signature: null }],
    ['a signature over another body', { signature: 'a'.repeat(64) }],
  ]
  for (const [name, options] of forgeries) {
    test(`a message with ${name} gets 403, even with the right token, and never reaches CCM`, async () => {
      const text = `forged: ${name}`
      const sent = await loop.d360.sendInbound({ from: CUSTOMER, text }, options)
      assert.equal(sent.answer?.status, 403)
      assert.equal(
        (sent.answer?.body as { error?: { code?: string } } | undefined)?.error?.code,
        'BAD_SIGNATURE',
      )
      const marker = `signed after ${name}`
      await loop.d360.sendInbound({ from: CUSTOMER, text: marker })
      await loop.ccm.waitFor((m) => m.body.markdownText === marker)
      assert.equal(loop.ccm.messages.filter((m) => m.body.markdownText === text).length, 0)
    })
  }
})
