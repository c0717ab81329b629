import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { concatUdh, splitUserData } from './udh.js'

describe('concatenation UDH', () => {
  it('builds the 8-bit and 16-bit reference forms', () => {
    assert.deepEqual([...concatUdh({ ref: 0x1ab, total: 3, seq: 2 }, 8)], [5, 0, 3, 0xab, 3, 2])
    assert.deepEqual(
      [...concatUdh({ ref: 0x1ab, total: 3, seq: 2 }, 16)],
      [6, 8, 4, 0x01, 0xab, 3, 2],
    )
  })

  it('finds the concatenation element among others', () => {
    // A port-addressing element (0x05) first, then the 16-bit concatenation element.
    const data = Buffer.from([12, 0x05, 0x04, 0, 1, 0, 2, 0x08, 0x04, 0x12, 0x34, 2, 1, 0x41])
    const split = splitUserData(data)
    assert.deepEqual(split.concat, { ref: 0x1234, total: 2, seq: 1 })
    assert.equal(split.body.toString(), 'A')
  })

  it('ignores elements that make no sense, and a UDH longer than the data', () => {
    assert.equal(splitUserData(Buffer.from([5, 0, 3, 1, 2, 3, 0x41])).concat, undefined)
    assert.equal(splitUserData(Buffer.from([5, 0, 3, 1, 0, 0])).concat, undefined)
    const broken = splitUserData(Buffer.from([40, 1, 2]))
    assert.equal(broken.concat, undefined)
    assert.equal(broken.body.length, 3)
  })
})
