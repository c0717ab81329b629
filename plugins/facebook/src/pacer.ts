import { createPacer, type PacerOptions } from '@plugboard/sdk'

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
