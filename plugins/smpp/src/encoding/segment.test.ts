import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isSmppError } from '../errors.js'
import { decodeUcs2 } from './alphabet.js'
import { decodeGsm7 } from './gsm7.js'
import { planSms } from './segment.js'

const septets = (b: Buffer) => b.length

describe('planSms', () => {
  it('sends up to 160 septets of GSM as one part with data_coding 0', () => {
    const plan = planSms('a'.repeat(160))
    assert.equal(plan.alphabet, 'gsm7')
    assert.equal(plan.dataCoding, 0)
    assert.equal(plan.parts.length, 1)
  })

  it('splits 161 septets into 153 + 8', () => {
    const plan = planSms('a'.repeat(161))
    assert.deepEqual(plan.parts.map(septets), [153, 8])
  })

  it('counts extension characters as two septets', () => {
    assert.equal(planSms('€'.repeat(80)).parts.length, 1)
    assert.equal(planSms(`${'€'.repeat(80)}a`).parts.length, 2)
  })

  it('never splits an escape sequence across parts', () => {
    // 152 septets, then '€' (2 septets) would straddle the 153 boundary.
    const plan = planSms(`${'a'.repeat(152)}€${'b'.repeat(20)}`)
    assert.equal(septets(plan.parts[0] as Buffer), 152)
    assert.equal((plan.parts[1] as Buffer)[0], 0x1b)
    assert.equal(
      plan.parts.map((p) => decodeGsm7(p)).join(''),
      `${'a'.repeat(152)}€${'b'.repeat(20)}`,
    )
  })

  it('uses UCS2 (data_coding 8) for other text: 70 units single, 67 per part', () => {
    assert.equal(planSms('Ж'.repeat(70)).parts.length, 1)
    const plan = planSms('Ж'.repeat(71))
    assert.equal(plan.alphabet, 'ucs2')
    assert.equal(plan.dataCoding, 8)
    assert.deepEqual(
      plan.parts.map((p) => p.length / 2),
      [67, 4],
    )
  })

  it('never splits a surrogate pair across parts', () => {
    const text = `${'Ж'.repeat(66)}😀${'Ж'.repeat(10)}`
    const plan = planSms(text)
    assert.equal((plan.parts[0] as Buffer).length / 2, 66)
    assert.equal(plan.parts.map((p) => decodeUcs2(p)).join(''), text)
    for (const part of plan.parts) assert.ok(!/[\ud800-\udbff]$/.test(decodeUcs2(part)))
  })

  it('leaves room for the 16-bit reference and for sar_* segments', () => {
    assert.deepEqual(planSms('a'.repeat(200), { mode: 'udh16' }).parts.map(septets), [152, 48])
    assert.deepEqual(
      planSms('Ж'.repeat(100), { mode: 'sar' }).parts.map((p) => p.length / 2),
      [66, 34],
    )
  })

  it('keeps the whole text in one part for message_payload', () => {
    assert.equal(planSms('a'.repeat(1000), { mode: 'payload' }).parts.length, 1)
  })

  it('refuses a text needing more parts than allowed, saying which setting to change', () => {
    assert.throws(
      () => planSms('a'.repeat(153 * 3 + 1), { maxParts: 3 }),
      (e) =>
        isSmppError(e) && e.code === 'SMPP_MESSAGE_TOO_LONG' && /SMPP-MAX-PARTS/.test(e.message),
    )
  })
})
