import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { describe, it } from 'node:test'
import { signDialog360Webhook } from '@plugboard/testkit'
import { API_KEY, PARTNER_SECRET, setUp360, WEBHOOK_TOKEN } from '../test/context.js'
import { INBOUND } from './fixtures/webhooks.js'
import { verifyDialog360Signature, webhookToken } from './signature.js'

const body = new TextEncoder().encode(INBOUND.text)
const digest = createHmac('sha256', PARTNER_SECRET).update(body).digest()

describe('verifyDialog360Signature', () => {
  const accepted: Array<[string, string]> = [
    [
      'the test kit’s signature (lowercase hex)',
      signDialog360Webhook(PARTNER_SECRET, INBOUND.text),
    ],
    ['uppercase hex', digest.toString('hex').toUpperCase()],
    ['Meta’s sha256= prefix', `sha256=${digest.toString('hex')}`],
    ['base64', digest.toString('base64')],
    ['base64url without padding', digest.toString('base64url')],
  ]
  for (const [name, signature] of accepted) {
    it(`accepts ${name}`, () => {
      assert.equal(verifyDialog360Signature(PARTNER_SECRET, signature, body), true)
    })
  }
  const refused: Array<[string, string | null]> = [
    ['no signature', null],
    ['another secret', signDialog360Webhook('other-secret', INBOUND.text)],
    ['another body', signDialog360Webhook(PARTNER_SECRET, `${INBOUND.text} `)],
    ['a truncated signature', digest.toString('hex').slice(0, 40)],
    ['garbage', 'not a signature'],
  ]
  for (const [name, signature] of refused) {
    it(`refuses ${name}`, () => {
      assert.equal(verifyDialog360Signature(PARTNER_SECRET, signature, body), false)
    })
  }
})

describe('webhookToken', () => {
  it('is the configured token, else one derived from the API key', () => {
    assert.equal(webhookToken({ apiKey: API_KEY, webhookToken: WEBHOOK_TOKEN }), WEBHOOK_TOKEN)
    const derived = webhookToken({ apiKey: API_KEY })
    assert.match(derived, /^[A-Za-z0-9_-]{43}$/)
    assert.equal(webhookToken({ apiKey: API_KEY }), derived, 'the same on every replica')
    assert.notEqual(webhookToken({ apiKey: `${API_KEY}x` }), derived)
    assert.ok(!derived.includes(API_KEY))
  })
})

describe('webhook authentication', () => {
  it('takes a webhook with the right token header', async () => {
    const { ctx, post } = await setUp360()
    assert.equal((await post('/webhook', INBOUND.text)).status, 200)
    assert.equal(ctx.inboundMessages.length, 1)
  })

  const forgeries: Array<[string, { token?: string | null }, string]> = [
    ['no token', { token: null }, 'missing'],
    ['a wrong token', { token: 'wrong-token-0123456789' }, 'mismatch'],
  ]
  for (const [name, options, reason] of forgeries) {
    it(`refuses ${name} with 403, logs and counts it, and hands nothing on`, async () => {
      const { ctx, post, counters } = await setUp360()
      const res = await post('/webhook', INBOUND.text, options)
      assert.equal(res.status, 403)
      const answer = (await res.json()) as { error: { code: string; message: string } }
      assert.equal(answer.error.code, 'BAD_TOKEN')
      assert.match(answer.error.message, /X-Plugboard-Token/)
      assert.equal(ctx.inboundMessages.length, 0)
      assert.equal(counters.get('webhook_auth_failures'), 1)
      const warning = ctx.logs.find((l) => l.level === 'warn')
      assert.equal((warning?.obj as { reason?: string } | undefined)?.reason, reason)
      assert.ok(!JSON.stringify(ctx.logs).includes(WEBHOOK_TOKEN), 'the token is never logged')
    })
  }

  it('reads the token from the configured header', async () => {
    const { ctx, post } = await setUp360({ webhookTokenHeader: 'Authorization' })
    assert.equal((await post('/webhook', INBOUND.text)).status, 200)
    const res = await post('/webhook', INBOUND.text, {
      token: null,
      headers: { 'x-plugboard-token': WEBHOOK_TOKEN },
    })
    assert.equal(res.status, 403)
    assert.equal(ctx.inboundMessages.length, 1)
  })

  it('expects the token derived from the API key when none is configured', async () => {
    const { ctx, post } = await setUp360({ webhookToken: undefined, registerWebhook: true })
    const derived = webhookToken({ apiKey: API_KEY })
    assert.equal((await post('/webhook', INBOUND.text, { token: derived })).status, 200)
    assert.equal((await post('/webhook', INBOUND.text, { token: API_KEY })).status, 403)
    assert.equal(ctx.inboundMessages.length, 1)
  })

  describe('with a partner secret', () => {
    const partner = () => setUp360({ partnerSecret: PARTNER_SECRET })

    it('takes a correctly signed webhook, without any token', async () => {
      const { ctx, post } = await partner()
      assert.equal((await post('/webhook', INBOUND.text)).status, 200)
      assert.equal(ctx.inboundMessages.length, 1)
    })

    const forgeries: Array<
      [string, { signature?: string | null; headers?: Record<string, string> }]
    > = [
      [
        'no signature, even with the right token',
        { signature: null, headers: { 'x-plugboard-token': WEBHOOK_TOKEN } },
      ],
      ['a signature with another secret', { signature: signDialog360Webhook('x', INBOUND.text) }],
      ['a signature of another body', { signature: signDialog360Webhook(PARTNER_SECRET, '{}') }],
    ]
    for (const [name, options] of forgeries) {
      it(`refuses ${name} with 403 BAD_SIGNATURE`, async () => {
        const { ctx, post } = await partner()
        const res = await post('/webhook', INBOUND.text, options)
        assert.equal(res.status, 403)
        assert.equal(
          ((await res.json()) as { error: { code: string } }).error.code,
          'BAD_SIGNATURE',
        )
        assert.equal(ctx.inboundMessages.length + ctx.receipts.length, 0)
        assert.ok(!JSON.stringify(ctx.logs).includes(PARTNER_SECRET))
      })
    }
  })
})
