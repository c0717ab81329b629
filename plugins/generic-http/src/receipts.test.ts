import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ReceiptResult } from '@plugboard/sdk'
import { fakeContext, webhookRequest } from '../test/fake-context.js'
import plugin from './index.js'
import { signBody } from './signature.js'

const config = { outboundUrl: 'http://far.test/messages', timeoutMs: 1000 }

async function setUp(sharedSecret?: string, result: ReceiptResult = { status: 'applied' }) {
  const fake = fakeContext({
    config: { ...config, sharedSecret },
    receipt: async () => result,
  })
  await plugin.setup(fake.ctx)
  const post = (body: string, headers: Record<string, string> = {}) =>
    fake.call('POST', '/status', webhookRequest({ path: '/status', body, headers }))
  return { fake, post }
}

describe('POST /status', () => {
  it('reports the receipt and answers with its result', async () => {
    const { fake, post } = await setUp(undefined, { status: 'stale' })
    const res = await post(JSON.stringify({ id: 'p-1', status: 'delivered' }))
    assert.equal(res.status, 200)
    assert.deepEqual(await res.json(), { result: 'stale' })
    assert.deepEqual(fake.receipts, [
      { providerMessageId: 'p-1', status: 'delivered', reasonCode: undefined, reason: undefined },
    ])
  })

  it('passes the failure reason and code, a numeric code as a string', async () => {
    const { fake, post } = await setUp()
    await post(JSON.stringify({ id: 'p-1', status: 'failed', reason: 'unreachable', code: 30003 }))
    assert.deepEqual(fake.receipts, [
      { providerMessageId: 'p-1', status: 'failed', reasonCode: '30003', reason: 'unreachable' },
    ])
  })

  it('answers 400 naming the field for an unknown status', async () => {
    const { fake, post } = await setUp()
    const res = await post(JSON.stringify({ id: 'p-1', status: 'lost' }))
    assert.equal(res.status, 400)
    const { error } = (await res.json()) as { error: { code: string; message: string } }
    assert.equal(error.code, 'INVALID_PAYLOAD')
    assert.match(error.message, /^status: /)
    assert.equal(fake.receipts.length, 0)
  })

  it('requires the signature when a secret is set', async () => {
    const { fake, post } = await setUp('receipt-secret')
    const body = JSON.stringify({ id: 'p-1', status: 'read' })
    assert.equal((await post(body)).status, 403)
    const ok = await post(body, { 'x-plugboard-signature': signBody('receipt-secret', body) })
    assert.equal(ok.status, 200)
    assert.equal(fake.receipts.length, 1)
  })
})
