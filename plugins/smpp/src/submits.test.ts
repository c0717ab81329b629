import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { planSms } from './encoding/segment.js'
import { TLV } from './pdu/commands.js'
import { tlvInt } from './pdu/tlv.js'
import { buildSubmits, concatRef } from './submits.js'

const source = { addr: '1000', ton: 0, npi: 1 }
const destination = { addr: '4915550100', ton: 1, npi: 1 }

describe('buildSubmits', () => {
  it('sends a short text as one submit asking for a receipt', () => {
    const [only, ...rest] = buildSubmits({
      plan: planSms('Hi'),
      source,
      destination,
      mode: 'udh8',
      ref: 1,
      registeredDelivery: true,
    })
    assert.equal(rest.length, 0)
    assert.equal(only?.esmClass, 0)
    assert.equal(only?.registeredDelivery, 1)
    assert.equal(only?.dataCoding, 0)
    assert.equal(only?.shortMessage.toString(), 'Hi')
  })

  it('puts a concatenation UDH on every part of a long text', () => {
    const parts = buildSubmits({
      plan: planSms('Ж'.repeat(100)),
      source,
      destination,
      mode: 'udh8',
      ref: 0x2a,
      registeredDelivery: true,
    })
    assert.equal(parts.length, 2)
    for (const [i, part] of parts.entries()) {
      assert.equal(part.esmClass, 0x40)
      assert.equal(part.dataCoding, 8)
      assert.deepEqual([...part.shortMessage.subarray(0, 6)], [5, 0, 3, 0x2a, 2, i + 1])
      assert.ok(part.shortMessage.length <= 140)
    }
  })

  it('uses sar_* TLVs or message_payload when configured', () => {
    const sar = buildSubmits({
      plan: planSms('a'.repeat(200), { mode: 'sar' }),
      source,
      destination,
      mode: 'sar',
      ref: 700,
      registeredDelivery: true,
    })
    assert.deepEqual(
      sar.map((p) => [
        tlvInt(p.tlvs, TLV.sar_msg_ref_num),
        tlvInt(p.tlvs, TLV.sar_total_segments),
        tlvInt(p.tlvs, TLV.sar_segment_seqnum),
        p.esmClass,
      ]),
      [
        [700, 2, 1, 0],
        [700, 2, 2, 0],
      ],
    )
    const [payload] = buildSubmits({
      plan: planSms('a'.repeat(400), { mode: 'payload' }),
      source,
      destination,
      mode: 'payload',
      ref: 0,
      registeredDelivery: false,
    })
    assert.equal(payload?.shortMessage.length, 0)
    assert.equal(payload?.tlvs[0]?.value.length, 400)
    assert.equal(payload?.registeredDelivery, 0)
  })
})

describe('concatRef', () => {
  it('is stable for a message and fits the reference size', () => {
    assert.equal(concatRef('msg-1', 'udh8'), concatRef('msg-1', 'udh8'))
    assert.ok(concatRef('msg-1', 'udh8') < 256)
    assert.ok(concatRef('msg-1', 'udh16') < 65536)
  })
})
