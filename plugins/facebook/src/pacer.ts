import { PluginError } from '@plugboard/sdk'

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

/** Meta's Send API limit for audio and video attachments, per page. */
export const HEAVY_RATE_PER_SECOND = 10

/**
 * One pacer per page (Meta's Send API limits are per page), plus a second one for audio and
 * video, which Meta limits to 10 calls a second.
 */
export function createPagePacers(
  ratePerSecond: number | undefined,
  signal: AbortSignal,
  options: PacerOptions = {},
): (pageId: string, heavy: boolean) => Promise<void> {
  const heavyRate = Math.min(ratePerSecond ?? HEAVY_RATE_PER_SECOND, HEAVY_RATE_PER_SECOND)
  const pages = new Map<string, { all: () => Promise<void>; heavy: () => Promise<void> }>()
  return async (pageId, heavy) => {
    let pacers = pages.get(pageId)
    if (!pacers) {
      pacers = {
        all: createPacer(ratePerSecond, signal, options),
        heavy: createPacer(heavyRate, signal, options),
      }
      pages.set(pageId, pacers)
    }
    await pacers.all()
    if (heavy) await pacers.heavy()
  }
}
