import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  type CimBody,
  type CimMessage,
  inboundMessage,
  PluginError,
  type SendInfo,
  text,
} from '@plugboard/sdk'
import { startTwilioSimulator, type TwilioFailure, type TwilioSimulator } from '@plugboard/testkit'
import { setUpTwilio } from '../test/context.js'

const info: SendInfo = { attempt: 1, idempotencyKey: 'k1' }
const MG = 'MG0123456789abcdef0123456789abcdef'

function agent(serviceIdentifier: string, customerId: string, body: CimBody = text('hello')) {
  const message = inboundMessage({ serviceIdentifier, customerId, body })
  return {
    ...message,
    header: { ...message.header, sender: { id: 'agent-1', type: 'AGENT' } },
  } as CimMessage
}

describe('send', () => {
  let sim: TwilioSimulator
  before(async () => {
    sim = await startTwilioSimulator({ statusSequence: [], timeoutHoldMs: 30_000 })
  })
  after(() => sim.close())

  const setUp = (config: Record<string, unknown> = {}, env = {}) =>
    setUpTwilio(
      {
        accountSid: sim.account.sid,
        authToken: sim.account.authToken,
        apiBaseUrl: sim.url,
        ...config,
      },
      { env },
    )

  it('posts an SMS with basic auth and the status callback, and returns Twilio’s sid', async () => {
    const { connector } = await setUp()
    const result = await connector.send(agent('+15550100', '+15550199', text('Hi!')), info)
    const [message] = await sim.waitFor((m) => m.sid === result.providerMessageId)
    assert.equal(result.status, 'queued')
    assert.equal(message?.to, '+15550199')
    assert.equal(message?.from, '+15550100')
    assert.equal(message?.body, 'Hi!')
    assert.equal(message?.statusCallback, 'https://plugboard.test/webhooks/tw/status')
    assert.equal(message?.messagingServiceSid, undefined)
  })

  it('addresses a WhatsApp customer as whatsapp:+… on a WhatsApp channel', async () => {
    const { connector } = await setUp()
    for (const customer of ['+15550199', 'whatsapp:+15550199']) {
      const result = await connector.send(agent('whatsapp:+15550100', customer), info)
      const [message] = await sim.waitFor((m) => m.sid === result.providerMessageId)
      assert.equal(message?.to, 'whatsapp:+15550199')
      assert.equal(message?.from, 'whatsapp:+15550100')
    }
  })

  it('sends from a Messaging Service when the channel is one', async () => {
    const { connector } = await setUp()
    const result = await connector.send(agent(MG, '+15550199'), info)
    const [message] = await sim.waitFor((m) => m.sid === result.providerMessageId)
    assert.equal(message?.messagingServiceSid, MG)
    assert.equal(message?.from, undefined)
  })

  it('adds the configured Messaging Service to sends from a number', async () => {
    const { connector } = await setUp({ messagingServiceSid: MG })
    const result = await connector.send(agent('+15550100', '+15550199'), info)
    const [message] = await sim.waitFor((m) => m.sid === result.providerMessageId)
    assert.equal(message?.messagingServiceSid, MG)
    assert.equal(message?.from, '+15550100')
  })

  it('points the status callback at TWILIO_WEBHOOK_BASE_URL when set', async () => {
    const { connector } = await setUp({ webhookBaseUrl: 'https://edge.example.com/tw/' })
    const result = await connector.send(agent('+15550100', '+15550199'), info)
    const [message] = await sim.waitFor((m) => m.sid === result.providerMessageId)
    assert.equal(message?.statusCallback, 'https://edge.example.com/tw/status')
  })

  it('sends media by URL, rewriting file-engine URLs to the public file engine', async () => {
    const env = { fileEngineUrl: 'http://fe:8080', fileEnginePublicUrl: 'https://files.example' }
    const { connector } = await setUp({}, env)
    const body: CimBody = {
      type: 'IMAGE',
      caption: 'receipt',
      attachment: { mediaUrl: 'http://fe:8080/api/downloadFileStream?filename=r.png' },
    }
    const result = await connector.send(agent('whatsapp:+15550100', '+15550199', body), info)
    const [message] = await sim.waitFor((m) => m.sid === result.providerMessageId)
    assert.deepEqual(message?.mediaUrls, [
      'https://files.example/api/downloadFileStream?filename=r.png',
    ])
    assert.equal(message?.body, 'receipt')
    assert.match(message?.sid ?? '', /^MM/)
  })

  it('sends a WhatsApp location as a PersistentAction and a template as ContentSid', async () => {
    const { connector } = await setUp()
    const location = await connector.send(
      agent('whatsapp:+15550100', '+15550199', {
        type: 'LOCATION',
        location: { latitude: 1.25, longitude: 103.8 },
        additionalDetails: { name: 'Office' },
      }),
      info,
    )
    const [geo] = await sim.waitFor((m) => m.sid === location.providerMessageId)
    assert.deepEqual(geo?.persistentActions, ['geo:1.25,103.8|Office'])
    const hx = 'HX0123456789abcdef0123456789abcdef'
    const template = await connector.send(
      agent('whatsapp:+15550100', '+15550199', {
        type: 'TEMPLATE',
        name: hx,
        components: [
          {
            type: 'body',
            parameters: [{ parameterType: 'text', additionalParameterDetails: { text: 'Ada' } }],
          },
        ],
      }),
      info,
    )
    const [content] = await sim.waitFor((m) => m.sid === template.providerMessageId)
    assert.equal(content?.contentSid, hx)
    assert.equal(content?.contentVariables, '{"1":"Ada"}')
    assert.equal(content?.body, undefined)
  })

  it('sends an unknown type’s text and logs that it degraded it', async () => {
    const { connector, ctx } = await setUp()
    const body = { type: 'X_FUTURE', markdownText: 'readable anyway' }
    const result = await connector.send(agent('+15550100', '+15550199', body), info)
    const [message] = await sim.waitFor((m) => m.sid === result.providerMessageId)
    assert.equal(message?.body, 'readable anyway')
    assert.ok(ctx.logs.some((l) => l.level === 'warn' && /X_FUTURE/.test(l.msg ?? '')))
  })

  it('does not call Twilio for notifications', async () => {
    const { connector, ctx } = await setUp()
    const attempts = sim.attempts
    const result = await connector.send(
      agent('+15550100', '+15550199', { type: 'NOTIFICATION', notificationType: 'TYPING_STARTED' }),
      info,
    )
    assert.match(result.ignored ?? '', /TYPING_STARTED/)
    assert.equal(sim.attempts, attempts)
    assert.ok(ctx.logs.some((l) => l.level === 'debug'))
  })

  it('refuses a customer id that is no phone number without calling Twilio', async () => {
    const { connector } = await setUp()
    const attempts = sim.attempts
    await assert.rejects(
      connector.send(agent('+15550100', 'customer-1'), info),
      (e) =>
        e instanceof PluginError &&
        e.kind === 'terminal' &&
        e.code === 'INVALID_RECIPIENT' &&
        e.providerCode === '21211',
    )
    assert.equal(sim.attempts, attempts)
  })

  it('classifies Twilio’s own refusal of an invalid number as terminal with its code', async () => {
    const { connector } = await setUp()
    await assert.rejects(
      connector.send(agent('+15550100', '+1 (555) 01'), info),
      (e) => e instanceof PluginError && e.kind === 'terminal' && e.providerCode === '21211',
    )
  })
})

describe('send error classification', () => {
  let sim: TwilioSimulator
  before(async () => {
    sim = await startTwilioSimulator({ statusSequence: [], timeoutHoldMs: 30_000 })
  })
  after(() => sim.close())

  const failing = async (failure: TwilioFailure, config: Record<string, unknown> = {}) => {
    const t = await setUpTwilio({
      accountSid: sim.account.sid,
      authToken: sim.account.authToken,
      apiBaseUrl: sim.url,
      ...config,
    })
    sim.failNext(1, failure)
    const error = await t.connector.send(agent('+15550100', '+15550199'), info).then(
      () => assert.fail('send resolved'),
      (e: unknown) => e,
    )
    assert.ok(error instanceof PluginError, String(error))
    assert.doesNotMatch(error.message, new RegExp(sim.account.authToken))
    assert.doesNotMatch(JSON.stringify(t.ctx.logs), new RegExp(sim.account.authToken))
    return { error, t }
  }

  const table: Array<[string, TwilioFailure, PluginError['kind'], string, string]> = [
    ['429', { status: 429 }, 'retryable', 'TWILIO_THROTTLED', '20429'],
    ['503 with 20429', { status: 503, code: 20429 }, 'retryable', 'TWILIO_THROTTLED', '20429'],
    ['500', { status: 500 }, 'retryable', 'TWILIO_UNAVAILABLE', '20500'],
    ['502', { status: 502 }, 'retryable', 'TWILIO_UNAVAILABLE', '20500'],
    ['401', { status: 401 }, 'auth', 'TWILIO_AUTH', '20003'],
    ['400 / 20003', { status: 400, code: 20003 }, 'auth', 'TWILIO_AUTH', '20003'],
    ['400 / 21211', { status: 400, code: 21211 }, 'terminal', 'TWILIO_REJECTED', '21211'],
    ['400 / 21610', { status: 400, code: 21610 }, 'terminal', 'TWILIO_REJECTED', '21610'],
    ['400 / 63016', { status: 400, code: 63016 }, 'terminal', 'TWILIO_REJECTED', '63016'],
    ['404 / 20404', { status: 404, code: 20404 }, 'terminal', 'TWILIO_REJECTED', '20404'],
    [
      '400 / 21611 (queue full)',
      { status: 400, code: 21611 },
      'retryable',
      'TWILIO_UNAVAILABLE',
      '21611',
    ],
  ]
  for (const [name, failure, kind, code, providerCode] of table) {
    it(`${name} → ${kind} ${code} (${providerCode})`, async () => {
      const { error } = await failing(failure)
      assert.equal(error.kind, kind)
      assert.equal(error.code, code)
      assert.equal(error.providerCode, providerCode)
    })
  }

  it('honours Retry-After', async () => {
    const { error } = await failing({ status: 429, retryAfter: 7 })
    assert.equal(error.retryAfterMs, 7000)
  })

  it('says the fix for the codes operators meet', async () => {
    assert.match((await failing({ status: 400, code: 63016 })).error.message, /template/)
    assert.match((await failing({ status: 400, code: 21610 })).error.message, /STOP/)
    assert.match((await failing({ status: 401 })).error.message, /TWILIO_AUTH_TOKEN/)
    assert.match(
      (await failing({ status: 400, code: 30450 })).error.message,
      /twilio\.com\/docs\/errors\/30450/,
    )
  })

  it('treats a timeout as retryable', async () => {
    const { error } = await failing({ kind: 'timeout' }, { timeoutMs: 300 })
    assert.equal(error.kind, 'retryable')
    assert.match(error.message, /timeout|within 300 ms/)
  })

  it('treats a dropped connection as retryable', async () => {
    const { error } = await failing({ kind: 'reset' })
    assert.equal(error.kind, 'retryable')
  })

  it('reports itself degraded while Twilio refuses the credentials, up after a success', async () => {
    const { t } = await failing({ status: 401 })
    assert.equal(t.connector.health?.().state, 'degraded')
    await t.connector.send(agent('+15550100', '+15550199'), info)
    assert.equal(t.connector.health?.().state, 'up')
  })
})
