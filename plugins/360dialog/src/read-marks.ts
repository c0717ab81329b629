/**
 * @module
 * Which WhatsApp message a customer's CIM message was, so that CCM's READ notification for it
 * can mark it read in WhatsApp (blue ticks). WhatsApp takes read marks for 30 days.
 */
import type { KeyValueStore, Logger } from '@plugboard/sdk'

const TTL_MS = 30 * 24 * 3600_000

export interface ReadMarks {
  remember(messageId: string, wamid: string): Promise<void>
  lookup(messageId: string): Promise<string | undefined>
}

export function createReadMarks(store: KeyValueStore, log: Logger): ReadMarks {
  const key = (messageId: string) => `wamid:${messageId}`
  return {
    async remember(messageId, wamid) {
      try {
        await store.set(key(messageId), wamid, { ttlMs: TTL_MS })
      } catch (error) {
        // Only the read mark is lost; the message itself is already with the host.
        log.warn(
          { messageId, reason: error instanceof Error ? error.message : String(error) },
          'could not remember the WhatsApp id of a customer message; it cannot be marked read',
        )
      }
    },
    async lookup(messageId) {
      const wamid = await store.get<unknown>(key(messageId))
      return typeof wamid === 'string' ? wamid : undefined
    },
  }
}
