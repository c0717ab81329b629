import assert from 'node:assert/strict'
import { test } from 'node:test'
import { advance } from './status.js'

test('status only moves forward; failed is final and cannot follow delivery', () => {
  const cases = [
    [undefined, 'sent', 'sent'],
    ['queued', 'sent', 'sent'],
    ['sent', 'delivered', 'delivered'],
    ['delivered', 'read', 'read'],
    ['read', 'delivered', undefined],
    ['delivered', 'sent', undefined],
    ['sent', 'sent', undefined],
    ['sent', 'failed', 'failed'],
    ['queued', 'failed', 'failed'],
    ['delivered', 'failed', undefined],
    ['failed', 'delivered', undefined],
    ['failed', 'read', undefined],
    [undefined, 'read', 'read'],
  ] as const
  for (const [current, next, expected] of cases) {
    assert.equal(advance(current, next), expected, `${current} → ${next}`)
  }
})
