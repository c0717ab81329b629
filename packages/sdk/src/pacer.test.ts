import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { PluginError } from './errors.js'
import { createPacer } from './pacer.js'

function fakeClock() {
  let now = 1_000
  const waits: number[] = []
  return {
    waits,
    now: () => now,
    advance: (ms: number) => {
      now += ms
    },
    sleep: async (ms: number) => {
      waits.push(ms)
    },
  }
}

describe('createPacer', () => {
  it('never waits without a rate', async () => {
    const clock = fakeClock()
    const pace = createPacer(undefined, new AbortController().signal, clock)
    for (let i = 0; i < 5; i++) await pace()
    assert.deepEqual(clock.waits, [])
  })

  it('spaces calls made at once 1000 / rate ms apart', async () => {
    const clock = fakeClock()
    const pace = createPacer(4, new AbortController().signal, clock)
    await Promise.all([pace(), pace(), pace(), pace()])
    assert.deepEqual(clock.waits, [250, 500, 750])
  })

  it('does not bank unused time: a call after a pause goes at once, the next waits', async () => {
    const clock = fakeClock()
    const pace = createPacer(2, new AbortController().signal, clock)
    await pace()
    clock.advance(10_000)
    await pace()
    await pace()
    assert.deepEqual(clock.waits, [500])
  })

  it('ends a wait with a retryable error when the connector stops', async () => {
    const controller = new AbortController()
    const pace = createPacer(0.001, controller.signal)
    await pace()
    const waiting = pace()
    controller.abort()
    await assert.rejects(
      waiting,
      (e) => e instanceof PluginError && e.kind === 'retryable' && e.code === 'CONNECTOR_STOPPING',
    )
  })
})
