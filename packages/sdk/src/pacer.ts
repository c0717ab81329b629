import { PluginError } from './errors.js'

export interface PacerOptions {
  now?: () => number
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>
}

/**
 * Spaces calls `1000 / ratePerSecond` ms apart: each caller reserves the next free slot and
 * waits for it. Without a rate it never waits. A stop of the connector ends the wait with a
 * retryable error, so the message is sent later rather than lost.
 */
export function createPacer(
  ratePerSecond: number | undefined,
  signal: AbortSignal,
  options: PacerOptions = {},
): () => Promise<void> {
  if (!ratePerSecond) return async () => {}
  const interval = 1000 / ratePerSecond
  const now = options.now ?? Date.now
  const sleep = options.sleep ?? abortableSleep
  let nextSlot = 0
  return async () => {
    const at = now()
    const slot = Math.max(at, nextSlot)
    nextSlot = slot + interval
    if (slot > at) await sleep(slot - at, signal)
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const stopped = () =>
      PluginError.retryable('CONNECTOR_STOPPING', 'the connector stopped while pacing a send')
    if (signal.aborted) {
      reject(stopped())
      return
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(stopped())
    }
    signal.addEventListener('abort', onAbort, { once: true })
  })
}
