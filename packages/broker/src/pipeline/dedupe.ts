import type { StateStore } from '@plugboard/core'

const NS = 'inbound-dedupe'

interface Claim {
  id: string
  /** `pending` until the publish was confirmed. */
  state: 'pending' | 'done'
  at: number
}

export interface InboundDedupe {
  /** Claims the key for `id`, or names the message that already holds it. */
  claim(key: string, id: string): Promise<{ claimed: true } | { claimed: false; id: string }>
  /** The publish was confirmed: the claim now stands for the whole window. */
  confirm(key: string, id: string): Promise<void>
  /** The publish failed: the provider's retry may take the key at once. */
  abandon(key: string, id: string): Promise<void>
}

/**
 * Inbound de-duplication across replicas: the first replica to claim a provider message id
 * publishes it, the others answer "duplicate". A claim stays `pending` until the broker
 * confirmed the publish; a pending claim older than `takeoverMs` belonged to a replica that died
 * in between, so a retry takes it over instead of being told "duplicate" for a message that was
 * never queued.
 */
export function createInboundDedupe(
  state: StateStore,
  options: { windowMs: number; takeoverMs: number },
): InboundDedupe {
  const { windowMs, takeoverMs } = options
  return {
    async claim(key, id) {
      const now = Date.now()
      if (
        await state.setIfAbsent(
          NS,
          key,
          { id, state: 'pending', at: now } satisfies Claim,
          windowMs,
        )
      ) {
        return { claimed: true }
      }
      let takenOver = false
      const current = await state.update<Claim>(
        NS,
        key,
        (claim) => {
          // Gone meanwhile (expired), or abandoned by a publisher that died or failed.
          if (claim && (claim.state === 'done' || now - claim.at < takeoverMs)) return undefined
          takenOver = true
          return { id, state: 'pending', at: now }
        },
        windowMs,
      )
      if (takenOver) return { claimed: true }
      return { claimed: false, id: current?.id ?? id }
    },
    async confirm(key, id) {
      await state.set(NS, key, { id, state: 'done', at: Date.now() } satisfies Claim, windowMs)
    },
    async abandon(key, id) {
      await state.update<Claim>(
        NS,
        key,
        (claim) =>
          claim?.id === id && claim.state === 'pending' ? { ...claim, at: 0 } : undefined,
        windowMs,
      )
    },
  }
}
