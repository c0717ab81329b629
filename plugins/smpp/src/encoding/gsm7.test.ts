import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { decodeGsm7, encodeGsm7, gsm7Length, isGsm7 } from './gsm7.js'

describe('GSM 03.38', () => {
  it('covers the 127 basic characters and 10 extension characters', () => {
    const basic = [...Array(128).keys()].filter((i) => i !== 0x1b)
    const text = decodeGsm7(Buffer.from(basic))
    assert.equal([...text].length, 127)
    assert.deepEqual([...encodeGsm7(text)], basic)
    const ext = '\f^{}\\[~]|€'
    assert.equal(gsm7Length(ext), 20)
    assert.equal(decodeGsm7(encodeGsm7(ext)), ext)
  })

  it('counts extension characters as two septets', () => {
    assert.equal(gsm7Length('Price: 5€ [net]'), 18)
    assert.deepEqual([...encodeGsm7('€')], [0x1b, 0x65])
  })

  it('maps the characters that differ from ASCII', () => {
    assert.deepEqual([...encodeGsm7('@$_')], [0x00, 0x02, 0x11])
    assert.equal(decodeGsm7(Buffer.from([0x00, 0x02, 0x11])), '@$_')
  })

  it('tells GSM text from text needing UCS2', () => {
    assert.equal(isGsm7('Hello, Zoé! Ça va? ¿Qué?'), true)
    assert.equal(isGsm7('Привет'), false)
    assert.equal(isGsm7('ok 👍'), false)
    assert.equal(gsm7Length('ok 👍'), undefined)
    assert.throws(() => encodeGsm7('👍'), /not in the GSM 03.38 alphabet/)
  })

  it('reads an unknown escape as the basic character and drops a trailing escape', () => {
    assert.equal(decodeGsm7(Buffer.from([0x1b, 0x41, 0x42])), 'AB')
    assert.equal(decodeGsm7(Buffer.from([0x41, 0x1b])), 'A')
  })
})
