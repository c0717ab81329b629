import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseCimMessage } from '@plugboard/sdk'
import { cimIdFor, parseSendSms, toCimMessage } from './message.js'

const body = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value))

describe('parseSendSms', () => {
  it('accepts {number, text, id} and a numeric id', () => {
    assert.deepEqual(
      parseSendSms(body({ number: '+15550199', text: 'hi', id: 'app-1' }), undefined),
      {
        ok: true,
        sms: { number: '+15550199', text: 'hi', id: 'app-1' },
      },
    )
    const numeric = parseSendSms(body({ number: ' 15550199 ', text: 'hi', id: 42 }), 'SendSms')
    assert.deepEqual(numeric, { ok: true, sms: { number: '15550199', text: 'hi', id: '42' } })
    assert.equal(parseSendSms(body({ number: '15550199', text: 'no id' }), 'sendsms').ok, true)
  })

  const invalid: Array<[string, unknown, unknown, RegExp]> = [
    ['not JSON', '{nope', undefined, /not JSON/],
    ['a missing number', { text: 'x' }, undefined, /number: /],
    [
      'a number with letters',
      { number: 'call me', text: 'x' },
      undefined,
      /number: use the customer number/,
    ],
    ['an empty text', { number: '15550199', text: '' }, undefined, /text: the SMS text is empty/],
    ['an array', [], undefined, /\(body\)/],
    [
      'another message type',
      { number: '15550199', text: 'x' },
      'ChatMessage',
      /unsupported message type 'ChatMessage'/,
    ],
  ]
  for (const [name, value, type, reason] of invalid) {
    it(`refuses ${name}, saying why`, () => {
      const parsed = parseSendSms(body(value), type)
      assert.equal(parsed.ok, false)
      if (!parsed.ok) assert.match(parsed.reason, reason)
    })
  }
})

describe('cimIdFor', () => {
  it('is stable per app id (a redelivery is the same message) and UUID-shaped', () => {
    const a = cimIdFor('outbound-sms', 'app-1')
    assert.equal(cimIdFor('outbound-sms', 'app-1'), a)
    assert.notEqual(cimIdFor('outbound-sms', 'app-2'), a)
    assert.notEqual(cimIdFor('other-queue', 'app-1'), a)
    assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  it('falls back to the AMQP message id, then to a random id', () => {
    assert.equal(cimIdFor('q', undefined, 'm-1'), cimIdFor('q', undefined, 'm-1'))
    assert.notEqual(cimIdFor('q'), cimIdFor('q'))
  })
})

describe('toCimMessage', () => {
  it('builds a valid outbound CIM message from the SMS channel to the number', () => {
    const message = toCimMessage(
      { number: '+15550199', text: 'Your code is 1234', id: 'a' },
      { connectorId: 'sms', serviceIdentifier: '+15550100' },
      'cim-1',
    )
    assert.equal(parseCimMessage(message).ok, true)
    assert.equal(message.id, 'cim-1')
    assert.equal(message.header.channelData.serviceIdentifier, '+15550100')
    assert.equal(message.header.channelData.channelCustomerIdentifier, '+15550199')
    assert.equal(message.header.sender.type, 'APP')
    assert.deepEqual(message.body, { type: 'PLAIN', markdownText: 'Your code is 1234' })
  })
})
