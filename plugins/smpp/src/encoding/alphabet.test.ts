import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { alphabetOf, decodeText, decodeUcs2, encodeUcs2 } from './alphabet.js'

describe('alphabetOf', () => {
  const cases: Array<[number, string]> = [
    [0x00, 'gsm7'],
    [0x01, 'ascii'],
    [0x03, 'latin1'],
    [0x04, 'latin1'],
    [0x08, 'ucs2'],
    [0x18, 'ucs2'],
    [0x10, 'gsm7'],
    [0xf0, 'gsm7'],
    [0xf4, 'latin1'],
    [0xe0, 'ucs2'],
  ]
  for (const [dc, alphabet] of cases) {
    it(`data_coding 0x${dc.toString(16)} → ${alphabet}`, () =>
      assert.equal(alphabetOf(dc), alphabet))
  }
})

describe('UCS2', () => {
  it('is UTF-16BE, surrogate pairs included', () => {
    assert.deepEqual([...encodeUcs2('A😀')], [0x00, 0x41, 0xd8, 0x3d, 0xde, 0x00])
    assert.equal(decodeUcs2(encodeUcs2('Привет 😀')), 'Привет 😀')
    assert.equal(decodeText(encodeUcs2('ß'), 8), 'ß')
  })

  it('ignores a dangling odd octet', () => {
    assert.equal(decodeUcs2(Buffer.from([0x00, 0x41, 0x00])), 'A')
  })
})
