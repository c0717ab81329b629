import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type CimBody, inboundMessage, isPluginError, type PluginError } from '@plugboard/sdk'
import { createTestContext } from '@plugboard/testkit'
import { SmppConfig } from './config.js'
import { smppError, statusError } from './errors.js'
import type { ShortMessageFields } from './pdu/types.js'
import { createReceiptTracker } from './receipts/tracker.js'
import { createSend } from './send.js'
import type { SubmitResult } from './session/client.js'

type Answer = (fields: ShortMessageFields, n: number) => Promise<SubmitResult>

function setUp(answer?: Answer, overrides: Record<string, unknown> = {}) {
  const config = SmppConfig.parse({ host: 'smsc', systemId: 'acct', password: 'pw', ...overrides })
  const ctx = createTestContext(config)
  const submitted: ShortMessageFields[] = []
  let n = 0
  const client = {
    submit: async (fields: ShortMessageFields) => {
      submitted.push(fields)
      n++
      return answer ? answer(fields, n) : { messageId: `ID${n}`, attempts: 1, ambiguous: false }
    },
  }
  const tracker = createReceiptTracker({
    store: ctx.store,
    report: (u) => ctx.receipt(u),
    log: ctx.log,
    ttlMs: 1000,
    waitMs: 0,
  })
  return { ctx, send: createSend({ ctx, client, tracker }), submitted }
}

const agent = (body: CimBody, id = 'cim-1') => ({
  ...inboundMessage({ serviceIdentifier: '+4930123456', customerId: '+4915550100', body, id }),
})
const info = (attempt = 1) => ({ attempt, idempotencyKey: 'cim-1' })

describe('send', () => {
  it('sends a long Unicode text as UCS2 parts and returns the first part id', async () => {
    const { ctx, send, submitted } = setUp()
    const result = await send(
      agent({ type: 'PLAIN', markdownText: `Здравствуйте! ${'ё'.repeat(120)} 😀` }),
      info(),
    )
    assert.deepEqual(result, { providerMessageId: 'ID1', status: 'sent' })
    assert.equal(submitted.length, 3)
    for (const part of submitted) {
      assert.equal(part.dataCoding, 8)
      assert.equal(part.sourceAddr, '4930123456')
      assert.equal(part.destinationAddr, '4915550100')
      assert.equal(part.registeredDelivery, 1)
    }
    // Every part's id leads back to the message for its receipt, also on another replica.
    assert.deepEqual(await ctx.store.get('smsc:id3'), { m: 'cim-1', p: 'ID1', i: 2, n: 3 })
  })

  it('on a retry, sends only the parts the SMSC did not take, with the same reference', async () => {
    let failSecond = true
    const { send, submitted } = setUp(async (fields, n) => {
      if (failSecond && fields.shortMessage[5] === 2) {
        failSecond = false
        throw statusError('submit_sm', 0x14)
      }
      return { messageId: `ID${n}`, attempts: 1, ambiguous: false }
    })
    const message = agent({ type: 'PLAIN', markdownText: 'a'.repeat(400) })
    await assert.rejects(send(message, info(1)), (e) => isPluginError(e) && e.kind === 'retryable')
    assert.equal(submitted.length, 3)
    const result = await send(message, info(2))
    assert.equal(submitted.length, 4, 'only the failed part goes out again')
    assert.deepEqual(
      [...submitted[3]!.shortMessage.subarray(0, 6)],
      [...submitted[1]!.shortMessage.subarray(0, 6)],
    )
    assert.equal(result.providerMessageId, 'ID1')
  })

  it('ignores what SMS cannot carry, without submitting', async () => {
    const { send, submitted } = setUp()
    const result = await send(
      agent({
        type: 'NOTIFICATION',
        markdownText: '',
        notificationType: 'TYPING_STARTED',
      } as CimBody),
      info(),
    )
    assert.deepEqual(result, { ignored: 'NOTIFICATION TYPING_STARTED is not carried by SMS' })
    assert.equal(submitted.length, 0)
  })

  const failures: Array<[string, () => never | Promise<never>, string, string]> = [
    [
      'a refused password',
      () => {
        throw statusError('bind_transceiver', 0x0e)
      },
      'auth',
      'SMPP_BIND_REFUSED',
    ],
    [
      'an invalid destination',
      () => {
        throw statusError('submit_sm', 0x0b)
      },
      'terminal',
      'SMPP_REJECTED',
    ],
    [
      'a link that stays down',
      () => {
        throw smppError('SMPP_QUEUE_TIMEOUT', 'no bind')
      },
      'retryable',
      'SMPP_QUEUE_TIMEOUT',
    ],
  ]
  for (const [name, fail, kind, code] of failures) {
    it(`turns ${name} into a ${kind} PluginError`, async () => {
      const { send } = setUp(async () => fail())
      await assert.rejects(send(agent({ type: 'PLAIN', markdownText: 'x' }), info()), (e) => {
        assert.ok(isPluginError(e))
        assert.equal((e as PluginError).kind, kind)
        assert.equal((e as PluginError).code, code)
        return true
      })
    })
  }

  it('refuses a customer id that is no phone number as terminal', async () => {
    const { send, submitted } = setUp()
    const message = inboundMessage({
      serviceIdentifier: '1000',
      customerId: 'web:abc',
      body: { type: 'PLAIN', markdownText: 'x' },
    })
    await assert.rejects(
      send(message, info()),
      (e) => isPluginError(e) && e.kind === 'terminal' && e.code === 'SMPP_INVALID_ADDRESS',
    )
    assert.equal(submitted.length, 0)
  })

  it('warns when a part went out twice after an unanswered attempt', async () => {
    const { ctx, send } = setUp(async () => ({ messageId: 'X', attempts: 2, ambiguous: true }))
    await send(agent({ type: 'PLAIN', markdownText: 'x' }), info())
    assert.ok(
      ctx.logs.some((l) => l.level === 'warn' && /may deliver it twice/.test(String(l.msg))),
    )
  })
})
