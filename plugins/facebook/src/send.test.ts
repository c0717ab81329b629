import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  type CimBody,
  type CimMessage,
  inboundMessage,
  PluginError,
  type SenderType,
  type SendInfo,
  text,
} from '@plugboard/sdk'
import {
  bridgeTo,
  GRAPH_ERRORS,
  type GraphFailure,
  type GraphSimulator,
  startGraphSimulator,
} from '@plugboard/testkit'
import { APP_SECRET, type FacebookTestContext, setUpFacebook } from '../test/context.js'

const PAGE_A = '100000000000001'
const PAGE_B = '100000000000002'
const PAGE_C = '100000000000003'
const TOKEN_A = 'EAApageAtoken0123456789'
const TOKEN_B = 'EAApageBtoken0123456789'
const TOKEN_C = 'EAApageCdefault01234567'
const HOUR = 3600_000

let keys = 0
const info = (key = `k${++keys}`): SendInfo => ({ attempt: 1, idempotencyKey: key })

function reply(
  pageId: string,
  psid: string,
  body: CimBody = text('hello'),
  senderType: SenderType = 'AGENT',
): CimMessage {
  const message = inboundMessage({ serviceIdentifier: pageId, customerId: psid, body })
  return { ...message, header: { ...message.header, sender: { id: 'agent-1', type: senderType } } }
}

let sim: GraphSimulator
before(async () => {
  sim = await startGraphSimulator({
    appSecret: APP_SECRET,
    pages: [
      { id: PAGE_A, accessToken: TOKEN_A },
      { id: PAGE_B, accessToken: TOKEN_B },
      { id: PAGE_C, accessToken: TOKEN_C },
    ],
    timeoutHoldMs: 30_000,
  })
})
after(() => sim.close())

/** A connector wired both ways to the simulator: its sends go there, its webhooks come here. */
async function connected(config: Record<string, unknown> = {}) {
  const t = await setUpFacebook({
    apiBaseUrl: sim.apiBaseUrl,
    pageAccessToken: TOKEN_C,
    pageTokens: { [PAGE_A]: TOKEN_A, [PAGE_B]: TOKEN_B },
    ...config,
  })
  const bridge = await bridgeTo(t.ctx, '/webhooks/fb')
  return { ...t, bridge, webhook: `${bridge.url}/webhooks/fb/webhook` }
}

/** A customer who just wrote to `pageId` through the connector (so its window is known). */
async function customer(
  t: FacebookTestContext & { webhook: string },
  pageId = PAGE_A,
  timestamp?: number,
): Promise<string> {
  const psid = sim.newPsid()
  const posted = await sim.sendText(
    { psid, pageId, text: 'hi', ...(timestamp === undefined ? {} : { timestamp }) },
    { url: t.webhook },
  )
  assert.equal(posted.answer?.status, 200)
  return psid
}

describe('send', () => {
  it('sends text as RESPONSE with the page’s own token and returns Meta’s message id', async () => {
    const t = await connected()
    const a = await customer(t, PAGE_A)
    const b = await customer(t, PAGE_B)
    const c = await customer(t, PAGE_C)
    for (const [page, psid] of [
      [PAGE_A, a],
      [PAGE_B, b],
      [PAGE_C, c],
    ] as const) {
      const result = await t.connector.send(reply(page, psid, text(`to ${page}`)), info())
      const [sent] = await sim.waitFor((m) => m.mid === result.providerMessageId)
      assert.equal(sent?.pageId, page, 'the page whose token was used')
      assert.equal(sent?.recipientId, psid)
      assert.equal(sent?.messagingType, 'RESPONSE')
      assert.equal(sent?.text, `to ${page}`)
      assert.match(result.providerMessageId ?? '', /^m_/)
      assert.equal(result.status, 'sent')
    }
    await t.bridge.close()
  })

  it('sends quick replies and a button template that Meta’s checks accept', async () => {
    const t = await connected()
    const psid = await customer(t)
    const quick = await t.connector.send(
      reply(PAGE_A, psid, {
        type: 'BUTTON',
        markdownText: 'Pick a colour',
        buttons: [
          { title: 'Red', payload: 'RED' },
          { title: 'Blue', payload: 'BLUE' },
        ],
      }),
      info(),
    )
    const [q] = await sim.waitFor((m) => m.mid === quick.providerMessageId)
    assert.deepEqual(
      q?.quickReplies?.map((r) => [r.title, r.payload]),
      [
        ['Red', 'RED'],
        ['Blue', 'BLUE'],
      ],
    )
    const template = await t.connector.send(
      reply(PAGE_A, psid, {
        type: 'BUTTON',
        buttonMessageType: 'BUTTON',
        markdownText: 'Need more?',
        buttons: [
          { title: 'Docs', type: 'url', payload: 'https://docs.example' },
          { title: 'Agent' },
        ],
      }),
      info(),
    )
    const [b] = await sim.waitFor((m) => m.mid === template.providerMessageId)
    assert.equal(b?.attachment?.type, 'template')
    assert.equal(b?.attachment?.payload.template_type, 'button')
    await t.bridge.close()
  })

  it('sends media then its caption, and a long text in pieces; the last id is returned', async () => {
    const t = await connected()
    const psid = await customer(t)
    const before = sim.messages.length
    const media = await t.connector.send(
      reply(PAGE_A, psid, {
        type: 'FILE',
        caption: 'your invoice',
        attachment: { mediaUrl: 'https://files.example/invoice.pdf' },
      }),
      info(),
    )
    const long = await t.connector.send(
      reply(PAGE_A, psid, text(`${'lorem ipsum '.repeat(300)}end`)),
      info(),
    )
    const sent = sim.messages.slice(before)
    assert.deepEqual(
      sent.map(
        (m) =>
          m.attachment?.type ?? `text ${Array.from(m.text ?? '').length > 1000 ? 'long' : m.text}`,
      ),
      ['file', 'text your invoice', 'text long', 'text long'],
    )
    assert.equal(media.providerMessageId, sent[1]!.mid)
    assert.equal(long.providerMessageId, sent[3]!.mid)
    await t.bridge.close()
  })

  it('a message in parts resumes after a failure instead of sending the first part again', async () => {
    const t = await connected()
    const psid = await customer(t)
    const body = text(`${'part '.repeat(500)}end`)
    const message = reply(PAGE_A, psid, body)
    const failSecond = () => sim.failNext(1, GRAPH_ERRORS.serverError)
    sim.on('message', failSecond)
    const before = sim.messages.length
    await assert.rejects(
      t.connector.send(message, info('parts-1')),
      (e) => e instanceof PluginError && e.retryable,
    )
    sim.off('message', failSecond)
    const result = await t.connector.send(message, { attempt: 2, idempotencyKey: 'parts-1' })
    const sent = sim.messages.slice(before)
    assert.equal(sent.length, 2, 'each part sent once')
    assert.equal(result.providerMessageId, sent[1]!.mid)
    await t.bridge.close()
  })

  it('typing indicators and "seen" go out as sender actions', async () => {
    const t = await connected()
    const psid = await customer(t)
    const before = sim.messages.length
    for (const body of [
      { type: 'NOTIFICATION', notificationType: 'TYPING_STARTED' },
      { type: 'NOTIFICATION', notificationType: 'TYPING_STOPPED' },
      { type: 'DELIVERYNOTIFICATION', messageId: 'cim-1', status: 'READ' },
    ] as CimBody[]) {
      const result = await t.connector.send(reply(PAGE_A, psid, body), info())
      assert.equal(result.ignored, undefined)
    }
    const actions = await sim.waitForActions((a) => a.recipientId === psid, { count: 3 })
    assert.deepEqual(
      actions.map((a) => a.action),
      ['typing_on', 'typing_off', 'mark_seen'],
    )
    assert.equal(sim.messages.length, before)
    await t.bridge.close()
  })

  it('a failing typing indicator is tried once, logged, and never holds up the conversation', async () => {
    const t = await connected()
    const psid = await customer(t)
    sim.failNext(1, GRAPH_ERRORS.rateLimit)
    const result = await t.connector.send(
      reply(PAGE_A, psid, { type: 'NOTIFICATION', notificationType: 'TYPING_STARTED' }),
      info(),
    )
    assert.match(result.ignored ?? '', /typing_on not delivered \(FACEBOOK_THROTTLED\)/)
    assert.ok(t.ctx.logs.some((l) => l.level === 'warn' && /sender action/.test(l.msg ?? '')))
    await t.bridge.close()
  })

  it('refuses a customer id that is no PSID, and a page without a token, without calling Graph', async () => {
    const t = await connected({ pageAccessToken: '' })
    const attempts = sim.attempts
    await assert.rejects(
      t.connector.send(reply(PAGE_A, 'customer-1'), info()),
      (e) => e instanceof PluginError && e.kind === 'terminal' && e.code === 'INVALID_RECIPIENT',
    )
    await assert.rejects(
      t.connector.send(reply(PAGE_C, '1234567890'), info()),
      (e) =>
        e instanceof PluginError &&
        e.kind === 'auth' &&
        e.code === 'FACEBOOK_NO_PAGE_TOKEN' &&
        e.message.includes(PAGE_C),
    )
    assert.equal(sim.attempts, attempts)
    await t.bridge.close()
  })
})

describe('the 24-hour window', () => {
  it('outside it without the tag: terminal, naming the fix, and Graph is not called', async () => {
    const t = await connected()
    const psid = await customer(t, PAGE_A, Date.now() - 25 * HOUR)
    const attempts = sim.attempts
    await assert.rejects(
      t.connector.send(reply(PAGE_A, psid), info()),
      (e) =>
        e instanceof PluginError &&
        e.kind === 'terminal' &&
        e.code === 'FACEBOOK_OUTSIDE_WINDOW' &&
        e.providerCode === '10' &&
        /24-hour window/.test(e.message) &&
        /FACEBOOK-HUMAN-AGENT-TAG/.test(e.message),
    )
    const typing = await t.connector.send(
      reply(PAGE_A, psid, { type: 'NOTIFICATION', notificationType: 'TYPING_STARTED' }),
      info(),
    )
    assert.match(typing.ignored ?? '', /window/)
    assert.equal(sim.attempts, attempts)
    await t.bridge.close()
  })

  it('outside it with the tag: an agent’s reply goes as MESSAGE_TAG HUMAN_AGENT, a bot’s is refused', async () => {
    const t = await connected({ humanAgentTag: true })
    const psid = await customer(t, PAGE_A, Date.now() - 30 * HOUR)
    const result = await t.connector.send(reply(PAGE_A, psid, text('sorry for the wait')), info())
    const [sent] = await sim.waitFor((m) => m.mid === result.providerMessageId)
    assert.equal(sent?.messagingType, 'MESSAGE_TAG')
    assert.equal(sent?.tag, 'HUMAN_AGENT')
    await assert.rejects(
      t.connector.send(reply(PAGE_A, psid, text('bot'), 'BOT'), info()),
      (e) =>
        e instanceof PluginError && e.code === 'FACEBOOK_OUTSIDE_WINDOW' && /AGENT/.test(e.message),
    )
    await t.bridge.close()
  })

  it('past 7 days nothing goes out, tag or not', async () => {
    const t = await connected({ humanAgentTag: true })
    const psid = await customer(t, PAGE_A, Date.now() - 8 * 24 * HOUR)
    await assert.rejects(
      t.connector.send(reply(PAGE_A, psid), info()),
      (e) =>
        e instanceof PluginError &&
        e.code === 'FACEBOOK_OUTSIDE_WINDOW' &&
        /write again/.test(e.message),
    )
    await t.bridge.close()
  })

  it('without a record Meta decides: its window refusal is terminal, or with the tag the reply is resent tagged', async () => {
    const plain = await connected()
    const psid = sim.newPsid()
    sim.addCustomer(psid, { pageId: PAGE_A, lastMessageAt: Date.now() - 30 * HOUR })
    await assert.rejects(
      plain.connector.send(reply(PAGE_A, psid), info()),
      (e) =>
        e instanceof PluginError &&
        e.kind === 'terminal' &&
        e.code === 'FACEBOOK_OUTSIDE_WINDOW' &&
        e.providerCode === '10',
    )
    await plain.bridge.close()
    const tagged = await connected({ humanAgentTag: true })
    const attempts = sim.attempts
    const result = await tagged.connector.send(reply(PAGE_A, psid), info())
    const [sent] = await sim.waitFor((m) => m.mid === result.providerMessageId)
    assert.equal(sent?.tag, 'HUMAN_AGENT')
    assert.equal(sim.attempts, attempts + 2)
    await tagged.bridge.close()
  })
})

describe('Graph errors', () => {
  const failing = async (failure: GraphFailure, config: Record<string, unknown> = {}) => {
    const t = await connected(config)
    const psid = await customer(t)
    sim.failNext(1, failure)
    const error = await t.connector.send(reply(PAGE_A, psid), info()).then(
      () => assert.fail('send resolved'),
      (e: unknown) => e,
    )
    await t.bridge.close()
    assert.ok(error instanceof PluginError, String(error))
    for (const token of [TOKEN_A, TOKEN_B, TOKEN_C]) {
      assert.doesNotMatch(error.message, new RegExp(token))
      assert.doesNotMatch(JSON.stringify(t.ctx.logs), new RegExp(token))
    }
    return { error, t }
  }

  const table: Array<[string, GraphFailure, PluginError['kind'], string, string]> = [
    ['613 rate limit', GRAPH_ERRORS.rateLimit, 'retryable', 'FACEBOOK_THROTTLED', '613'],
    ['4 app limit', GRAPH_ERRORS.appRateLimit, 'retryable', 'FACEBOOK_THROTTLED', '4'],
    ['17 user limit', { code: 17 }, 'retryable', 'FACEBOOK_THROTTLED', '17'],
    ['32 page limit', { code: 32 }, 'retryable', 'FACEBOOK_THROTTLED', '32'],
    ['1 unknown', { code: 1 }, 'retryable', 'FACEBOOK_UNAVAILABLE', '1'],
    ['2 service (500)', GRAPH_ERRORS.serverError, 'retryable', 'FACEBOOK_UNAVAILABLE', '2'],
    ['503 without a code', { status: 503, code: 0 }, 'retryable', 'FACEBOOK_UNAVAILABLE', '0'],
    [
      'a transient unknown code',
      { code: 9999, transient: true },
      'retryable',
      'FACEBOOK_UNAVAILABLE',
      '9999',
    ],
    ['190 invalid token', GRAPH_ERRORS.invalidToken, 'auth', 'FACEBOOK_AUTH', '190'],
    ['102 session', { code: 102 }, 'auth', 'FACEBOOK_AUTH', '102'],
    ['100 parameter', { code: 100 }, 'terminal', 'FACEBOOK_REJECTED', '100'],
    ['100/2018001 no user', GRAPH_ERRORS.noMatchingUser, 'terminal', 'FACEBOOK_REJECTED', '100'],
    ['10/2018278 window', GRAPH_ERRORS.outsideWindow, 'terminal', 'FACEBOOK_OUTSIDE_WINDOW', '10'],
    ['200 permission', { status: 403, code: 200 }, 'terminal', 'FACEBOOK_REJECTED', '200'],
    ['551 unavailable', GRAPH_ERRORS.userUnavailable, 'terminal', 'FACEBOOK_REJECTED', '551'],
  ]
  for (const [name, failure, kind, code, providerCode] of table) {
    it(`${name} → ${kind} ${code} (${providerCode})`, async () => {
      const { error } = await failing(failure)
      assert.equal(error.kind, kind)
      assert.equal(error.code, code)
      assert.equal(error.providerCode, providerCode)
    })
  }

  it('names the code, the subcode, the trace and the fix', async () => {
    const { error } = await failing(GRAPH_ERRORS.outsideWindow)
    assert.match(error.message, /code 10\/2018278/)
    assert.match(error.message, /fbtrace_id /)
    assert.match(error.message, /customer must write first/)
    assert.match((await failing(GRAPH_ERRORS.invalidToken)).error.message, /FACEBOOK-API-KEY/)
  })

  it('honours Retry-After', async () => {
    const { error } = await failing({ ...GRAPH_ERRORS.rateLimit, retryAfter: 7 })
    assert.equal(error.retryAfterMs, 7000)
  })

  it('a timeout and a dropped connection are retryable and name no token', async () => {
    const timeout = await failing({ kind: 'timeout' }, { timeoutMs: 300 })
    assert.equal(timeout.error.kind, 'retryable')
    assert.match(timeout.error.message, /within 300 ms/)
    const reset = await failing({ kind: 'reset' })
    assert.equal(reset.error.kind, 'retryable')
  })

  it('a blocked customer gets 551 from Meta, terminal', async () => {
    const t = await connected()
    const psid = await customer(t)
    sim.block(psid, PAGE_A)
    await assert.rejects(
      t.connector.send(reply(PAGE_A, psid), info()),
      (e) => e instanceof PluginError && e.kind === 'terminal' && e.providerCode === '551',
    )
    await t.bridge.close()
  })

  it('reports itself degraded while Graph refuses a page’s token, up after a success', async () => {
    const t = await connected()
    const psid = await customer(t)
    sim.failNext(1, GRAPH_ERRORS.invalidToken)
    await assert.rejects(t.connector.send(reply(PAGE_A, psid), info()))
    const health = t.connector.health?.()
    assert.equal(health?.state, 'degraded')
    assert.match(health?.detail ?? '', new RegExp(PAGE_A))
    await t.connector.send(reply(PAGE_A, psid), info())
    assert.equal(t.connector.health?.().state, 'up')
    await t.bridge.close()
  })
})

describe('delivery and read watermarks', () => {
  it('become receipts for every message sent at or before them; echoes are ignored', async () => {
    const t = await connected()
    const psid = await customer(t)
    const first = await t.connector.send(reply(PAGE_A, psid, text('one')), info())
    // Watermarks have millisecond resolution: the second message must start a millisecond later
    // for the first one's watermark not to cover it, as across a real network it always does.
    const firstAt = sim.messages.find((m) => m.mid === first.providerMessageId)!.timestamp
    while (Date.now() <= firstAt) await new Promise((r) => setImmediate(r))
    const second = await t.connector.send(reply(PAGE_A, psid, text('two')), info())
    await sim.sendEcho({ psid, pageId: PAGE_A, text: 'two' }, { url: t.webhook })
    const delivered = await sim.sendDelivery({ psid, pageId: PAGE_A }, { url: t.webhook })
    assert.equal(delivered.answer?.status, 200)
    const read = await sim.sendRead(
      { psid, pageId: PAGE_A, watermark: firstAt },
      { url: t.webhook },
    )
    assert.equal(read.answer?.status, 200)
    assert.deepEqual(
      t.ctx.receipts.map((r) => [r.providerMessageId, r.status]),
      [
        [first.providerMessageId, 'delivered'],
        [second.providerMessageId, 'delivered'],
        [first.providerMessageId, 'read'],
      ],
    )
    assert.equal(t.ctx.inboundMessages.length, 1, 'only the customer’s own message')
    await t.bridge.close()
  })
})
