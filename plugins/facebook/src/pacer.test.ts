import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createPacer, PluginError } from '@plugboard/sdk'
import { createPagePacers } from './pacer.js'

function fakeClock() {
  const waits: number[] = []
  return {
    waits,
    now: () => 1_000,
    sleep: async (ms: number) => {
      waits.push(ms)
    },
  }
}

describe('page pacers', () => {
  it('spaces calls of one page by the rate, independently of other pages', async () => {
    const clock = fakeClock()
    const pace = createPagePacers(4, new AbortController().signal, clock)
    await pace('A', false)
    await pace('A', false)
    await pace('B', false)
    await pace('A', false)
    assert.deepEqual(clock.waits, [250, 500])
  })

  it('holds audio and video to 10 a second even with a higher rate, text unaffected', async () => {
    const clock = fakeClock()
    const pace = createPagePacers(1000, new AbortController().signal, clock)
    await pace('A', true)
    await pace('A', true)
    assert.deepEqual(clock.waits, [1, 100])
  })

  it('without a rate only audio and video wait', async () => {
    const clock = fakeClock()
    const pace = createPagePacers(undefined, new AbortController().signal, clock)
    await pace('A', false)
    await pace('A', false)
    await pace('A', true)
    await pace('A', true)
    assert.deepEqual(clock.waits, [100])
  })

  it('a stop of the connector ends a wait with a retryable error', async () => {
    const abort = new AbortController()
    const pace = createPacer(1, abort.signal)
    await pace()
    const waiting = pace()
    abort.abort()
    await assert.rejects(waiting, (e) => e instanceof PluginError && e.kind === 'retryable')
  })
})
