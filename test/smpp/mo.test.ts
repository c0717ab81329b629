import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type CimMessage, isBodyType } from '@plugboard/sdk'
import type { MoInput } from '@plugboard/testkit'
import { SID, type SmppLoop, startSmppLoop } from './helpers.js'

let loop: SmppLoop
before(async () => {
  loop = await startSmppLoop()
})
after(() => loop.close())

const fromCustomer = (text: string) => (m: CimMessage) =>
  isBodyType(m.body, 'PLAIN') && m.body.markdownText === text

test('a customer SMS reaches CCM on the channel it was sent to', async () => {
  await loop.smsc.injectMo({ from: '4915550100', to: SID, text: 'Hello, is anyone there?' })
  const [message] = await loop.ccm.waitFor(fromCustomer('Hello, is anyone there?'))
  assert.equal(message?.header.channelData.serviceIdentifier, SID)
  assert.equal(message?.header.channelData.channelCustomerIdentifier, '4915550100')
  assert.equal(message?.header.sender.type, 'CONNECTOR')
  assert.equal(message?.header.sender.id, 'sms')
})

const multipart: Array<[string, Omit<MoInput, 'from' | 'to'>]> = [
  [
    'three GSM parts with an 8-bit reference',
    { text: 'Part one, part two and part three {ok}', parts: 3 },
  ],
  [
    'UCS2 parts with a 16-bit reference',
    { text: 'Привет! Это длинное сообщение 😀 из трёх частей', parts: 3, concat: 'udh16' },
  ],
  [
    'parts tied with sar_* TLVs',
    { text: 'Tied together with SAR TLVs instead of a UDH', parts: 2, concat: 'sar' },
  ],
  [
    'parts arriving last-first',
    { text: 'Networks do not promise order between parts', parts: 4, reverse: true },
  ],
]
for (const [name, input] of multipart) {
  test(`a long customer SMS in ${name} reaches CCM once, whole`, async () => {
    const from = `49155501${String(multipart.findIndex(([n]) => n === name)).padStart(2, '0')}`
    await loop.smsc.injectMo({ from, to: SID, ...input })
    const [message] = await loop.ccm.waitFor(fromCustomer(input.text))
    assert.equal(message?.header.channelData.channelCustomerIdentifier, from)
    assert.equal(loop.ccm.messages.filter(fromCustomer(input.text)).length, 1)
  })
}

test('every deliver_sm was answered ESME_ROK', () => {
  assert.equal(loop.smsc.unansweredDeliveries, 0)
  assert.ok(loop.smsc.deliveries.length >= 13)
  assert.ok(loop.smsc.deliveries.every((d) => d.status === 0))
})

test('while CCM is down, customer messages are still taken and delivered later', async () => {
  loop.ccm.setMode('down', { retryAfter: 0 })
  await loop.smsc.injectMo({ from: '4915550777', to: SID, text: 'queued while CCM is down' })
  loop.ccm.setMode('up')
  await loop.ccm.waitFor(fromCustomer('queued while CCM is down'), { timeoutMs: 15_000 })
})
