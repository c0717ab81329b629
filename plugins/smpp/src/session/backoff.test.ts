import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { backoffDelay } from './backoff.js'

describe('backoffDelay', () => {
  const options = { minMs: 1000, maxMs: 60_000 }
  it('doubles from the minimum up to the maximum, with equal jitter', () => {
    assert.equal(
      backoffDelay(0, options, () => 0),
      500,
    )
    assert.equal(
      backoffDelay(0, options, () => 1),
      1000,
    )
    assert.equal(
      backoffDelay(3, options, () => 1),
      8000,
    )
    assert.equal(
      backoffDelay(20, options, () => 1),
      60_000,
    )
    assert.equal(
      backoffDelay(20, options, () => 0),
      30_000,
    )
  })
})
