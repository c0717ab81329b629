import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createManualClock } from '../../test/manual-clock.js'
import { createThrottle } from './throttle.js'

describe('createThrottle', () => {
  it('is unlimited at 0 TPS', () => {
    const throttle = createThrottle(0, createManualClock())
    for (let i = 0; i < 1000; i++) assert.equal(throttle.reserve(), 0)
  })

  it('spaces permits 1/TPS apart and saves nothing up while idle', () => {
    const clock = createManualClock()
    const throttle = createThrottle(10, clock)
    assert.equal(throttle.reserve(), 0)
    assert.equal(throttle.reserve(), 100)
    clock.advance(100)
    assert.equal(throttle.reserve(), 0)
    clock.advance(10_000)
    assert.equal(throttle.reserve(), 0)
    assert.ok(throttle.reserve() > 0, 'a long pause does not turn into a burst')
  })

  it('never lets more than TPS plus a 20 ms burst into any one-second window', () => {
    const clock = createManualClock()
    const tps = 500
    const throttle = createThrottle(tps, clock)
    const times: number[] = []
    for (let step = 0; step < 3000; step++) {
      while (throttle.reserve() === 0) times.push(clock.now())
      clock.advance(1)
    }
    for (const start of times) {
      const inWindow = times.filter((t) => t >= start && t < start + 1000).length
      assert.ok(inWindow <= tps + tps / 50, `${inWindow} in one second`)
    }
  })
})
