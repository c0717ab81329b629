import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseCimMessage } from '@plugboard/sdk'
import { fakeContext, webhookRequest } from '../test/fake-context.js'
import type { GenericHttpConfig } from './config.js'
import { inboundBody, mediaBodyType, toCimMessage } from './inbound.js'
import plugin from './index.js'
import { signBody } from './signature.js'

const SECRET = 'inbound-secret'
const config: GenericHttpConfig = { outboundUrl: 'http://far.test/messages', timeoutMs: 1000 }

async function setUp(overrides: Partial<GenericHttpConfig> = {}, inbound?: () => Promise<never>) {
  const fake = fakeContext({ config: { ...config, ...overrides }, ...(inbound ? { inbound } : {}) })
  await plugin.setup(fake.ctx)
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fake.call(
      'POST',
      '/message',
      webhookRequest({ path: '/message', body: JSON.stringify(body), headers }),
    )
  return { fake, post }
}

async function errorOf(res: Response): Promise<{ code: string; message: string }> {
  return ((await res.json()) as { error: { code: string; message: string } }).error
}

describe('mediaBodyType', () => {
  const cases: Array<[string, string]> = [
    ['image/jpeg', 'IMAGE'],
    ['IMAGE/PNG', 'IMAGE'],
    ['video/mp4', 'VIDEO'],
    ['audio/ogg; codecs=opus', 'AUDIO'],
    ['application/pdf', 'FILE'],
    ['text/plain', 'FILE'],
    ['nonsense', 'FILE'],
  ]
  for (const [mime, type] of cases) {
    it(`${mime} → ${type}`, () => assert.equal(mediaBodyType(mime), type))
  }
})

describe('inboundBody', () => {
  const base = { id: 'm1', from: 'alice', to: 'svc' }

  it('maps text to PLAIN', () => {
    assert.deepEqual(inboundBody({ ...base, text: 'hi' }), { type: 'PLAIN', markdownText: 'hi' })
  })

  it('maps an image with its caption', () => {
    const body = inboundBody({
      ...base,
      media: { url: 'https://cdn.test/a/cat.jpg', mimeType: 'image/jpeg', caption: 'cat' },
    })
    assert.deepEqual(body, {
      type: 'IMAGE',
      markdownText: null,
      caption: 'cat',
      attachment: {
        mediaUrl: 'https://cdn.test/a/cat.jpg',
        mimeType: 'image/jpeg',
        mediaName: 'cat.jpg',
        thumbnail: null,
      },
      additionalDetails: null,
    })
  })

  it('maps a document to FILE with its file name, using the text as caption', () => {
    const body = inboundBody({
      ...base,
      text: 'my invoice',
      media: { url: 'https://cdn.test/inv%20001.pdf', mimeType: 'application/pdf' },
    }) as Record<string, unknown>
    assert.equal(body.type, 'FILE')
    assert.equal(body.caption, 'my invoice')
    assert.deepEqual(body.additionalDetails, { fileName: 'inv 001.pdf' })
  })

  it('maps a location, which wins over text', () => {
    const body = inboundBody({ ...base, text: 'here', location: { latitude: 1.5, longitude: -2 } })
    assert.deepEqual(body, {
      type: 'LOCATION',
      markdownText: 'here',
      location: { latitude: 1.5, longitude: -2 },
    })
  })

  it('builds a valid CIM message addressed to the channel', () => {
    const message = toCimMessage({ ...base, text: 'hi', name: 'Alice' }, 'conn-1')
    assert.equal(parseCimMessage(message).ok, true)
    assert.equal(message.header.channelData.serviceIdentifier, 'svc')
    assert.equal(message.header.channelData.channelCustomerIdentifier, 'alice')
    assert.equal(message.header.channelData.customerFirstName, 'Alice')
    assert.equal(message.header.providerMessageId, 'm1')
    assert.equal(message.header.sender.id, 'conn-1')
  })
})

describe('POST /message', () => {
  it('hands the message to the host and answers with its CIM id', async () => {
    const { fake, post } = await setUp()
    const res = await post({ id: 'p-1', from: '+15550199', to: '+15550100', text: 'hello' })
    assert.equal(res.status, 200)
    const [call] = fake.inbound
    assert.ok(call)
    assert.deepEqual(await res.json(), { status: 'accepted', id: call.message.id })
    assert.deepEqual(call.options, { providerMessageId: 'p-1' })
    assert.deepEqual(call.message.body, { type: 'PLAIN', markdownText: 'hello' })
  })

  it('reports a duplicate with the original id', async () => {
    const { fake, post } = await setUp()
    const payload = { id: 'p-1', from: 'a', to: 'b', text: 'hello' }
    await post(payload)
    const res = await post(payload)
    assert.deepEqual(await res.json(), { status: 'duplicate', id: fake.inbound[0]?.message.id })
  })

  const invalid: Array<[string, unknown, string]> = [
    ['a missing from', { id: 'x', to: 'b', text: 't' }, 'from'],
    ['an empty id', { id: '', from: 'a', to: 'b', text: 't' }, 'id'],
    ['no content', { id: 'x', from: 'a', to: 'b' }, 'text'],
    [
      'a media URL that is no URL',
      { id: 'x', from: 'a', to: 'b', media: { url: 'nope', mimeType: 'image/png' } },
      'media.url',
    ],
    [
      'a latitude out of range',
      { id: 'x', from: 'a', to: 'b', location: { latitude: 91, longitude: 0 } },
      'location.latitude',
    ],
    ['an array', [], 'expected object'],
  ]
  for (const [name, payload, field] of invalid) {
    it(`answers 400 INVALID_PAYLOAD naming the field for ${name}`, async () => {
      const { fake, post } = await setUp()
      const res = await post(payload)
      assert.equal(res.status, 400)
      const error = await errorOf(res)
      assert.equal(error.code, 'INVALID_PAYLOAD')
      assert.match(error.message, new RegExp(field.replace('.', '\\.')))
      assert.equal(fake.inbound.length, 0)
    })
  }

  it('answers 400 for a body that is not JSON', async () => {
    const { fake } = await setUp()
    const req = webhookRequest({ path: '/message', body: '{nope' })
    const res = await fake.call('POST', '/message', req)
    assert.equal(res.status, 400)
    assert.equal((await errorOf(res)).code, 'INVALID_PAYLOAD')
  })

  it('lets a failing hand-off propagate so the host answers 503', async () => {
    const { post } = await setUp({}, () => Promise.reject(new Error('store down')))
    await assert.rejects(post({ id: 'x', from: 'a', to: 'b', text: 't' }), /store down/)
  })
})

describe('POST /message with a shared secret', () => {
  const payload = { id: 'p-9', from: 'a', to: 'b', text: 'signed' }
  const body = JSON.stringify(payload)

  it('accepts a correctly signed body', async () => {
    const { fake, post } = await setUp({ sharedSecret: SECRET })
    const res = await post(payload, { 'x-plugboard-signature': signBody(SECRET, body) })
    assert.equal(res.status, 200)
    assert.equal(fake.inbound.length, 1)
  })

  const bad: Array<[string, Record<string, string>]> = [
    ['missing', {}],
    ['wrong', { 'X-Plugboard-Signature': signBody('not-the-secret', body) }],
  ]
  for (const [name, headers] of bad) {
    it(`answers 403 BAD_SIGNATURE for a ${name} signature, logs and counts it`, async () => {
      const { fake, post } = await setUp({ sharedSecret: SECRET })
      const res = await post(payload, headers)
      assert.equal(res.status, 403)
      assert.equal((await errorOf(res)).code, 'BAD_SIGNATURE')
      assert.equal(fake.inbound.length, 0)
      assert.equal(fake.counters.get('signature_failures'), 1)
      const warnings = fake.logs.filter((l) => l.level === 'warn')
      assert.equal(warnings.length, 1)
      assert.doesNotMatch(JSON.stringify(fake.logs), new RegExp(SECRET))
    })
  }

  it('checks the signature before looking at the body', async () => {
    const { fake } = await setUp({ sharedSecret: SECRET })
    const req = webhookRequest({ path: '/message', body: '{nope' })
    const res = await fake.call('POST', '/message', req)
    assert.equal(res.status, 403)
  })
})
