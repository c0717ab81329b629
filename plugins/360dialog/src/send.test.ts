import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  type CimBody,
  type CimMessage,
  inboundMessage,
  isPluginError,
  PluginError,
  type SendInfo,
  text,
} from '@plugboard/sdk'
import {
  type Dialog360Failure,
  type Dialog360Simulator,
  startDialog360Simulator,
} from '@plugboard/testkit'
import { setUp360 } from '../test/context.js'
import { INBOUND } from './fixtures/webhooks.js'
import { recipient } from './send.js'

const info: SendInfo = { attempt: 1, idempotencyKey: 'k1' }
const NUMBER = '15550783881'

function agent(customerId: string, body: CimBody = text('hello'), id?: string): CimMessage {
  const message = inboundMessage({
    serviceIdentifier: NUMBER,
    customerId,
    body,
    ...(id ? { id } : {}),
  })
  return { ...message, header: { ...message.header, sender: { id: 'agent-1', type: 'AGENT' } } }
}

describe('recipient', () => {
  const table: Array<[string, string | undefined]> = [
    ['4917612345678', '4917612345678'],
    ['+49 176 1234-5678', '4917612345678'],
    ['whatsapp:+4917612345678', '4917612345678'],
    ['(415) 555-0100', '4155550100'],
    ['customer-1', undefined],
    ['123', undefined],
  ]
  for (const [given, expected] of table) {
    it(`${given} → ${expected ?? 'refused'}`, () => assert.equal(recipient(given), expected))
  }
})

describe('send', () => {
  let sim: Dialog360Simulator
  before(async () => {
    sim = await startDialog360Simulator({
      channels: [{ phoneNumber: NUMBER }],
      statusSequence: [],
      timeoutHoldMs: 30_000,
    })
  })
  after(() => sim.close())

  const setUp = (config: Record<string, unknown> = {}, env = {}) =>
    setUp360({ apiKey: sim.channel.apiKey, hostUrl: sim.url, ...config }, { env })

  it('posts a Cloud API message with the API key and returns the wamid', async () => {
    const { connector } = await setUp()
    const result = await connector.send(agent('+49 176 1234 5678', text('Hi!')), info)
    assert.match(result.providerMessageId ?? '', /^wamid\./)
    assert.equal(result.status, 'queued')
    const [sent] = await sim.waitFor((m) => m.id === result.providerMessageId)
    assert.equal(sent?.to, '4917612345678')
    assert.equal(sent?.from, NUMBER)
    assert.deepEqual(sent?.body, {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '4917612345678',
      type: 'text',
      text: { body: 'Hi!', preview_url: false },
    })
  })

  it('sends media by link, the file engine’s URL made public', async () => {
    const env = { fileEngineUrl: 'http://fe:8080', fileEnginePublicUrl: 'https://files.example' }
    const { connector } = await setUp({}, env)
    const body: CimBody = {
      type: 'FILE',
      caption: 'your invoice',
      attachment: {
        mediaUrl: 'http://fe:8080/api/downloadFileStream?filename=i.pdf',
        mediaName: 'i.pdf',
      },
    }
    const result = await connector.send(agent('4917612345678', body), info)
    const [sent] = await sim.waitFor((m) => m.id === result.providerMessageId)
    assert.deepEqual(sent?.body.document, {
      link: 'https://files.example/api/downloadFileStream?filename=i.pdf',
      caption: 'your invoice',
      filename: 'i.pdf',
    })
  })

  it('sends buttons, lists and templates the Cloud API accepts', async () => {
    const { connector } = await setUp()
    const bodies: CimBody[] = [
      {
        type: 'BUTTON',
        markdownText: 'Yes or no?',
        buttons: [
          { title: 'Yes', payload: 'y' },
          { title: 'No', payload: 'n' },
        ],
      },
      {
        type: 'BUTTON',
        markdownText: 'Pick one',
        buttons: Array.from({ length: 10 }, (_, i) => ({
          title: `Choice ${i + 1}`,
          payload: `c${i}`,
        })),
      },
      { type: 'TEMPLATE', name: 'hello_world', language: { code: 'en_US' } },
      { type: 'LOCATION', location: { latitude: 1.5, longitude: 103.8 } },
      {
        type: 'CONTACT',
        contacts: [{ name: { formattedName: 'Help desk' }, phones: [{ phone: '+4930123456' }] }],
      },
    ]
    for (const body of bodies) {
      const result = await connector.send(agent('4917612345678', body), info)
      const [sent] = await sim.waitFor((m) => m.id === result.providerMessageId)
      assert.ok(sent, body.type)
    }
    const types = sim.messages.slice(-5).map((m) => m.type)
    assert.deepEqual(types, ['interactive', 'interactive', 'template', 'location', 'contacts'])
  })

  it('refuses a customer id that is no number without calling 360dialog', async () => {
    const { connector } = await setUp()
    const attempts = sim.attempts
    await assert.rejects(
      connector.send(agent('web-visitor-7'), info),
      (error: unknown) =>
        error instanceof PluginError &&
        error.kind === 'terminal' &&
        error.code === 'INVALID_RECIPIENT',
    )
    assert.equal(sim.attempts, attempts)
  })

  const failures: Array<[string, Dialog360Failure, Partial<PluginError>]> = [
    [
      '429 with Retry-After',
      { status: 429, retryAfter: 2 },
      { kind: 'retryable', code: 'D360_THROTTLED', providerCode: '130429', retryAfterMs: 2000 },
    ],
    [
      'throughput limit 130429 answered 400',
      { status: 400, code: 130429 },
      { kind: 'retryable', code: 'D360_THROTTLED', providerCode: '130429' },
    ],
    ['500', { status: 500 }, { kind: 'retryable', code: 'D360_UNAVAILABLE', status: 500 }],
    [
      '503',
      { status: 503 },
      { kind: 'retryable', code: 'D360_UNAVAILABLE', providerCode: '131016' },
    ],
    ['a bad key (401)', { status: 401 }, { kind: 'auth', code: 'D360_AUTH', providerCode: '401' }],
    [
      'the closed 24-hour window (131047)',
      { status: 400, code: 131047 },
      { kind: 'terminal', code: 'D360_WINDOW_CLOSED', providerCode: '131047' },
    ],
    [
      'the legacy window error (470)',
      { status: 400, code: 470 },
      { kind: 'terminal', code: 'D360_WINDOW_CLOSED', providerCode: '470' },
    ],
    [
      'an undeliverable number (131026)',
      { status: 400, code: 131026 },
      { kind: 'terminal', code: 'D360_REJECTED', providerCode: '131026' },
    ],
    ['a timeout', { kind: 'timeout' }, { kind: 'retryable' }],
    ['a reset connection', { kind: 'reset' }, { kind: 'retryable' }],
  ]
  for (const [name, failure, expected] of failures) {
    it(`classifies ${name}`, async () => {
      // Only the held request may run into the timeout; real answers get plenty of time.
      const { connector } = await setUp({ timeoutMs: failure.kind === 'timeout' ? 500 : 10_000 })
      sim.failNext(1, failure)
      const before = sim.messages.length
      const error = await connector.send(agent('4917612345678'), info).then(
        () => assert.fail('send should fail'),
        (e: unknown) => e,
      )
      assert.ok(isPluginError(error), String(error))
      for (const [key, value] of Object.entries(expected)) {
        assert.equal((error as unknown as Record<string, unknown>)[key], value, key)
      }
      assert.equal(sim.messages.length, before)
    })
  }

  it('says how to fix a closed window, and the API key never shows', async () => {
    const { connector, ctx } = await setUp()
    sim.closeWindow('4917699999999')
    try {
      const error = await connector.send(agent('4917699999999'), info).catch((e: unknown) => e)
      assert.ok(error instanceof PluginError)
      assert.match(error.message, /template/)
      assert.ok(!error.message.includes(sim.channel.apiKey))
      assert.ok(!JSON.stringify(ctx.logs).includes(sim.channel.apiKey))
    } finally {
      sim.openWindow('4917699999999')
    }
  })

  it('reports itself degraded while the key is refused, and up once a send goes through', async () => {
    const { connector } = await setUp()
    sim.failNext(1, { status: 401 })
    await connector.send(agent('4917612345678'), info).catch(() => undefined)
    const health = connector.health?.()
    assert.equal(health?.state, 'degraded')
    assert.match(health?.detail ?? '', /API-KEY/)
    await connector.send(agent('4917612345678'), info)
    assert.equal(connector.health?.().state, 'up')
  })

  it('marks a customer message read when CCM reports it READ', async () => {
    const { connector, ctx, post } = await setUp()
    await post('/webhook', INBOUND.text)
    const customerMessage = ctx.inboundMessages[0]!.message
    const read = agent('4917612345678', {
      type: 'DELIVERYNOTIFICATION',
      messageId: customerMessage.id,
      status: 'READ',
    })
    assert.deepEqual(await connector.send(read, info), {})
    assert.ok(sim.reads.includes(customerMessage.header.providerMessageId!))

    const unknown = agent('4917612345678', {
      type: 'DELIVERYNOTIFICATION',
      messageId: 'nope',
      status: 'READ',
    })
    const result = await connector.send(unknown, info)
    assert.match(result.ignored ?? '', /not marked read/)
  })

  it('does not call 360dialog for notifications', async () => {
    const { connector } = await setUp()
    const attempts = sim.attempts
    const result = await connector.send(
      agent('4917612345678', { type: 'NOTIFICATION', notificationType: 'TYPING_STARTED' }),
      info,
    )
    assert.ok(result.ignored)
    assert.equal(sim.attempts, attempts)
  })
})
