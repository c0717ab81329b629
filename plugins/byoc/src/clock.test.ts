import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createFakeClock } from './clock.js'

test('the fake clock fires due timers in time order and awaits each', async () => {
  const clock = createFakeClock(0)
  const fired: string[] = []
  clock.after(200, async () => {
    await new Promise((r) => setImmediate(r))
    fired.push(`b@${clock.now()}`)
  })
  clock.after(100, () => {
    fired.push(`a@${clock.now()}`)
    // A timer set by a timer runs in the same advance when it falls due.
    clock.after(50, () => void fired.push(`c@${clock.now()}`))
  })
  const cancel = clock.after(120, () => void fired.push('cancelled'))
  cancel()
  await clock.advance(199)
  assert.deepEqual(fired, ['a@100', 'c@150'])
  await clock.advance(1)
  assert.deepEqual(fired, ['a@100', 'c@150', 'b@200'])
  assert.equal(clock.now(), 200)
  assert.equal(clock.pending, 0)
})
