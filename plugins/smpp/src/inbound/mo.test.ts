import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseCimMessage } from '@plugboard/sdk'
import { createTestContext } from '@plugboard/testkit'
import { encodeUcs2 } from '../encoding/alphabet.js'
import { encodeGsm7 } from '../encoding/gsm7.js'
import { type DeliverSmPdu, shortMessageDefaults } from '../pdu/types.js'
import { channelOf, createMoHandler } from './mo.js'
import { createReassembler } from './reassembly.js'

const deliver = (fields: Partial<DeliverSmPdu>): DeliverSmPdu => ({
  command: 'deliver_sm',
  sequence: 1,
  status: 0,
  ...shortMessageDefaults(),
  sourceAddr: '4915550100',
  destinationAddr: '1000',
  ...fields,
})

describe('MO handler', () => {
  it('hands a customer SMS to the host as a valid CIM message', async () => {
    const ctx = createTestContext({}, { connectorId: 'sms-1' })
    const mo = createMoHandler(ctx, createReassembler(ctx.store, 60_000))
    assert.equal(
      await mo.handle(deliver({ dataCoding: 8, shortMessage: encodeUcs2('Привет 👋') })),
      'delivered',
    )
    const [{ message, options }] = ctx.inboundMessages as [(typeof ctx.inboundMessages)[number]]
    assert.equal(parseCimMessage(message).ok, true)
    assert.equal(message.header.channelData.serviceIdentifier, '1000')
    assert.equal(message.header.channelData.channelCustomerIdentifier, '4915550100')
    assert.equal(message.header.sender.id, 'sms-1')
    assert.deepEqual(message.body, { type: 'PLAIN', markdownText: 'Привет 👋' })
    assert.deepEqual(options, {})
  })

  it('stores parts and hands over the whole message once, with a de-duplication key', async () => {
    const ctx = createTestContext({})
    const mo = createMoHandler(ctx, createReassembler(ctx.store, 60_000))
    const part = (seq: number, text: string) =>
      deliver({
        esmClass: 0x40,
        shortMessage: Buffer.concat([Buffer.from([5, 0, 3, 77, 2, seq]), encodeGsm7(text)]),
      })
    assert.equal(await mo.handle(part(2, 'world')), 'part-stored')
    assert.equal(ctx.inboundMessages.length, 0)
    assert.equal(await mo.handle(part(1, 'Hello ')), 'delivered')
    const [{ message, options }] = ctx.inboundMessages as [(typeof ctx.inboundMessages)[number]]
    assert.equal(message.body.markdownText, 'Hello world')
    assert.match(String(options.providerMessageId), /^mo:4915550100:1000:77:2:[0-9a-f]{24}$/)
  })
})

describe('MO handler, unaddressed', () => {
  it('does not hand over a message without a sender', async () => {
    const ctx = createTestContext({})
    const mo = createMoHandler(ctx, createReassembler(ctx.store, 60_000))
    assert.equal(
      await mo.handle(deliver({ sourceAddr: '', shortMessage: Buffer.from('x') })),
      'unaddressed',
    )
    assert.equal(ctx.inboundMessages.length, 0)
  })
})

describe('channelOf', () => {
  const channels = [{ serviceIdentifier: '+4930123456' }, { serviceIdentifier: '1000' }]
  it('matches exactly, then by digits, else keeps the address', () => {
    assert.equal(channelOf('1000', channels), '1000')
    assert.equal(channelOf('4930123456', channels), '+4930123456')
    assert.equal(channelOf('004930123456', channels), '+4930123456')
    assert.equal(channelOf('2000', channels), '2000')
  })
  it('gives everything to the only channel of a connector', () => {
    assert.equal(channelOf('30123456', [{ serviceIdentifier: '+4930123456' }]), '+4930123456')
  })
})
