import assert from 'node:assert/strict'
import { test } from 'node:test'
import { PluginError } from '@plugboard/sdk'
import { DEFAULT_RETRY, decide } from './retry.js'

const policy = {
  ...DEFAULT_RETRY,
  baseDelayMs: 1000,
  maxDelayMs: 8000,
  maxAttempts: 5,
  maxAuthAttempts: 3,
}

test('backs off exponentially with jitter between half and the full delay, capped', () => {
  for (const [attempt, nominal] of [
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [4, 8000],
  ] as const) {
    const low = decide(new Error('x'), attempt, policy, () => 0)
    const high = decide(new Error('x'), attempt, policy, () => 1)
    assert.deepEqual(low, { action: 'retry', kind: 'retryable', delayMs: nominal / 2 })
    assert.deepEqual(high, { action: 'retry', kind: 'retryable', delayMs: nominal })
  }
})

test('honours Retry-After over the computed backoff', () => {
  const error = PluginError.retryable('RATE_LIMITED', '429', { retryAfterMs: 30_000 })
  assert.deepEqual(decide(error, 1, policy), {
    action: 'retry',
    kind: 'retryable',
    delayMs: 30_000,
  })
})

test('terminal errors dead-letter at once, retryable ones after the budget', () => {
  const terminal = decide(
    PluginError.terminal('BAD_NUMBER', 'invalid number', { providerCode: '21211' }),
    1,
    policy,
  )
  assert.equal(terminal.action, 'dead')
  assert.match(
    (terminal as { reason: string }).reason,
    /terminal: BAD_NUMBER invalid number \(provider code 21211\)/,
  )
  assert.equal(decide(new Error('boom'), 4, policy).action, 'retry')
  const spent = decide(new Error('boom'), 5, policy)
  assert.equal(spent.action, 'dead')
  assert.match((spent as { reason: string }).reason, /gave up after 5 attempts: boom/)
})

test('auth failures wait on their own budget', () => {
  const auth = PluginError.auth('UNAUTHORIZED', '401')
  assert.deepEqual(
    decide(auth, 2, policy, () => 1),
    { action: 'retry', kind: 'auth', delayMs: 2000 },
  )
  assert.equal(decide(auth, 3, policy).action, 'dead')
})
