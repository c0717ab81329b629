import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { recordingLogger } from '../test/helpers.js'
import { createDeliverHandler } from './deliver.js'
import type { MoHandler } from './inbound/mo.js'
import { type DeliverSmPdu, shortMessageDefaults } from './pdu/types.js'
import type { DeliveryReceipt } from './receipts/parse.js'
import type { ReceiptTracker } from './receipts/tracker.js'

function setUp() {
  const receipts: DeliveryReceipt[] = []
  const mos: DeliverSmPdu[] = []
  const counted: string[] = []
  const log = recordingLogger()
  const tracker = {
    apply: async (r: DeliveryReceipt) => {
      receipts.push(r)
      return 'reported' as const
    },
  } as unknown as ReceiptTracker
  const mo: MoHandler = {
    handle: async (pdu) => {
      mos.push(pdu)
      return 'delivered'
    },
  }
  const counter = (name: string) => ({
    inc: (labels?: Record<string, string>) => void counted.push(`${name}:${labels?.result}`),
  })
  const handler = createDeliverHandler({
    tracker,
    mo,
    log,
    receipts: counter('receipts'),
    messages: counter('mo'),
  })
  return { handler, receipts, mos, counted, log }
}

const pdu = (esmClass: number, text: string): DeliverSmPdu => ({
  command: 'deliver_sm',
  sequence: 1,
  status: 0,
  ...shortMessageDefaults(),
  esmClass,
  shortMessage: Buffer.from(text),
})

describe('deliver_sm handler', () => {
  it('applies receipts and hands customer messages over, answering ESME_ROK', async () => {
    const { handler, receipts, mos, counted } = setUp()
    assert.equal(await handler(pdu(0x04, 'id:1 stat:DELIVRD')), 0)
    assert.equal(await handler(pdu(0x00, 'hello')), 0)
    assert.equal(receipts[0]?.messageId, '1')
    assert.equal(mos.length, 1)
    assert.deepEqual(counted, ['receipts:reported', 'mo:delivered'])
  })

  it('acknowledges SME acks and unreadable receipts without passing them on', async () => {
    const { handler, receipts, mos, log } = setUp()
    assert.equal(await handler(pdu(0x08, 'ack')), 0)
    assert.equal(await handler(pdu(0x04, 'garbage')), 0)
    assert.equal(receipts.length + mos.length, 0)
    assert.ok(
      log.lines.some((l) => l.msg === 'unreadable delivery receipt; acknowledged and dropped'),
    )
  })

  it('lets a failure through, so the link answers ESME_RX_T_APPN and the SMSC retries', async () => {
    const { handler } = setUp()
    const failing = createDeliverHandler({
      tracker: {
        apply: async () => Promise.reject(new Error('store down')),
      } as unknown as ReceiptTracker,
      mo: { handle: async () => 'delivered' },
      log: recordingLogger(),
      receipts: { inc: () => {} },
      messages: { inc: () => {} },
    })
    await assert.rejects(failing(pdu(0x04, 'id:1 stat:DELIVRD')), /store down/)
    assert.equal(await handler(pdu(0x00, 'still fine')), 0)
  })

  it('refuses for good a customer message CCM could never take, instead of having it redelivered forever', async () => {
    const { handler } = setUp()
    const invalid = createDeliverHandler({
      tracker: { apply: async () => 'reported' } as unknown as ReceiptTracker,
      mo: {
        handle: async () =>
          Promise.reject(
            Object.assign(new Error('invalid CIM message'), { code: 'MESSAGE_INVALID' }),
          ),
      },
      log: recordingLogger(),
      receipts: { inc: () => {} },
      messages: { inc: () => {} },
    })
    assert.equal(await invalid(pdu(0x00, 'x')), 0x65)
    const unaddressed = createDeliverHandler({
      tracker: { apply: async () => 'reported' } as unknown as ReceiptTracker,
      mo: { handle: async () => 'unaddressed' },
      log: recordingLogger(),
      receipts: { inc: () => {} },
      messages: { inc: () => {} },
    })
    assert.equal(await unaddressed(pdu(0x00, 'x')), 0x65)
    assert.equal(await handler(pdu(0x00, 'fine')), 0)
  })
})
