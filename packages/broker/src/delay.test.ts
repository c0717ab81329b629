import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DELAY_BUCKETS_MS, delayBucket, MAX_DELAY_MS } from './delay.js'
import { isBrokerError } from './errors.js'

test('a delay rounds up to a bucket: never earlier, at most 50% later', () => {
  for (const delay of [
    1,
    99,
    100,
    101,
    999,
    1_000,
    1_001,
    7_000,
    61_000,
    3_600_001,
    MAX_DELAY_MS,
  ]) {
    const bucket = delayBucket(delay)
    assert.ok(DELAY_BUCKETS_MS.includes(bucket))
    assert.ok(bucket >= delay, `${delay} → ${bucket}`)
    if (delay >= 100) assert.ok(bucket <= delay * 1.5 + 1, `${delay} → ${bucket}`)
  }
})

test('delays over 24 h are refused', () => {
  assert.throws(
    () => delayBucket(MAX_DELAY_MS + 1),
    (e: unknown) => isBrokerError(e, 'BROKER_DELAY_TOO_LONG'),
  )
})
