import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { encodePdu } from './codec.js'
import { createFramer } from './framer.js'

const a = encodePdu({ command: 'enquire_link', sequence: 1, status: 0 })
const b = encodePdu({ command: 'submit_sm_resp', sequence: 2, status: 0, messageId: 'abc' })

describe('createFramer', () => {
  it('cuts several PDUs out of one chunk', () => {
    const frames = createFramer().push(Buffer.concat([a, b]))
    assert.deepEqual(frames, [a, b])
  })

  it('joins a PDU split over chunks, even inside the length', () => {
    const framer = createFramer()
    const both = Buffer.concat([a, b])
    assert.deepEqual(framer.push(both.subarray(0, 2)), [])
    assert.deepEqual(framer.push(both.subarray(2, 17)), [a])
    assert.equal(framer.buffered, 1)
    assert.deepEqual(framer.push(both.subarray(17)), [b])
    assert.equal(framer.buffered, 0)
  })

  it('throws on a length that cannot be a PDU', () => {
    const bad = Buffer.alloc(8)
    bad.writeUInt32BE(4, 0)
    assert.throws(() => createFramer().push(bad), /command_length 4 is outside 16\.\./)
    const huge = Buffer.alloc(8)
    huge.writeUInt32BE(1_000_000, 0)
    assert.throws(() => createFramer(1024).push(huge), /outside 16\.\.1024/)
  })
})
