import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createFifo } from './queue.js'

describe('createFifo', () => {
  it('keeps order through many pushes and shifts', () => {
    const fifo = createFifo<number>()
    for (let i = 0; i < 5000; i++) fifo.push(i)
    for (let i = 0; i < 3000; i++) assert.equal(fifo.shift(), i)
    fifo.push(5000)
    assert.equal(fifo.length, 2001)
    assert.equal(fifo.peek(), 3000)
    assert.deepEqual([...fifo].slice(0, 2), [3000, 3001])
    const rest = fifo.drain()
    assert.equal(rest.length, 2001)
    assert.equal(rest.at(-1), 5000)
    assert.equal(fifo.length, 0)
    assert.equal(fifo.shift(), undefined)
  })
})
