import type { QueueSpec } from './broker.js'

/** Header (0-9-1) / application property (1.0) carrying the reason given to `reject(reason)`. */
export const DEAD_LETTER_REASON = 'x-dead-letter-reason'
/** The queue the message was refused on, so `dlq replay` knows where to put it back. */
export const DEAD_LETTER_SOURCE = 'x-dead-letter-source'
/** When it was refused (ISO 8601). */
export const DEAD_LETTER_AT = 'x-dead-lettered-at'

/** A queue's dead-letter queue: the one its spec names, or `<queue>.dlq`. */
export function deadLetterQueueOf(queue: string, spec?: QueueSpec): string {
  return spec?.deadLetterQueue ?? `${queue}.dlq`
}

/** Headers of the dead-lettered copy: the original ones plus why, from where and when. */
export function deadLetterHeaders(
  headers: Record<string, unknown>,
  queue: string,
  reason: string,
): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {}
  for (const [key, value] of Object.entries(headers)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      out[key] = value
    }
  }
  out[DEAD_LETTER_REASON] = reason.slice(0, 2000)
  out[DEAD_LETTER_SOURCE] = queue
  out[DEAD_LETTER_AT] = new Date().toISOString()
  return out
}
