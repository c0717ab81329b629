/**
 * @module
 * Joins the parts of a long customer message. Parts are kept in the host's state store, so parts
 * arriving on different binds (or replicas) still meet, and a part is acknowledged to the SMSC
 * only once it is stored.
 */
import { createHash, randomUUID } from 'node:crypto'
import type { KeyValueStore } from '@plugboard/sdk'
import { decodeText } from '../encoding/alphabet.js'
import type { Concat } from '../encoding/udh.js'

interface StoredPart {
  dc: number
  data: string
  /** Random per stored part: identifies this copy of the message across replicas. */
  nonce: string
}

export interface AssembledMessage {
  text: string
  parts: number
  /**
   * The same for whoever completes the message (all read the same stored parts) and different for
   * a later message with the same reference: the host's de-duplication keeps it once.
   */
  providerMessageId: string
  /** Removes the stored parts; call after the message was handed over. */
  forget(): Promise<void>
}

export interface Reassembler {
  /** Stores a part; resolves with the whole message once every part is there. */
  add(
    from: string,
    to: string,
    concat: Concat,
    part: { dataCoding: number; body: Buffer },
  ): Promise<AssembledMessage | undefined>
}

export function createReassembler(store: KeyValueStore, ttlMs: number): Reassembler {
  return {
    async add(from, to, concat, part) {
      const base = `mo:${from}:${to}:${concat.ref}:${concat.total}`
      const key = (seq: number) => `${base}:${seq}`
      // The SMSC repeats a part whose answer it missed; keep the first copy (and its nonce).
      const existing = await store.get<StoredPart>(key(concat.seq))
      if (!existing) {
        const stored: StoredPart = {
          dc: part.dataCoding,
          data: part.body.toString('base64'),
          nonce: randomUUID(),
        }
        await store.set(key(concat.seq), stored, { ttlMs })
      }
      const parts = await Promise.all(
        Array.from({ length: concat.total }, (_, i) => store.get<StoredPart>(key(i + 1))),
      )
      if (parts.some((p) => p === undefined)) return undefined
      const all = parts as StoredPart[]
      const bytes = all.map((p) => Buffer.from(p.data, 'base64'))
      const dc = all[0]?.dc ?? 0
      // Decode the joined bytes, so a character a sender split across parts still reads right.
      const text = all.every((p) => p.dc === dc)
        ? decodeText(Buffer.concat(bytes), dc)
        : all.map((p, i) => decodeText(bytes[i] as Buffer, p.dc)).join('')
      const fingerprint = createHash('sha256')
        .update(all.map((p) => p.nonce).join(','))
        .digest('hex')
        .slice(0, 24)
      return {
        text,
        parts: concat.total,
        providerMessageId: `${base}:${fingerprint}`,
        forget: async () => {
          await Promise.all(all.map((_, i) => store.delete(key(i + 1))))
        },
      }
    },
  }
}
