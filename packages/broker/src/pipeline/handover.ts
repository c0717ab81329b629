import type { StateStore } from '@plugboard/core'

const NS = 'pipeline-handover'

interface Marker {
  state: 'draining' | 'done'
  by: string
  at: number
}

export interface Handover {
  /** Tells the next consumer of the shard to wait: the replica is finishing what it holds. */
  begin(shard: number, timeoutMs: number): Promise<void>
  end(shard: number): Promise<void>
  /**
   * Waits while another replica drains the shard. True when a handover was seen (draining, or
   * done a short while ago): then what this replica received meanwhile may be out of queue order
   * and has to be given back and taken again.
   */
  settle(shard: number): Promise<boolean>
}

/**
 * Giving up a single-active-consumer queue on a live connection is not atomic in RabbitMQ: once
 * the consumer is cancelled the next one is served at once, while what the first one still holds
 * comes back to the queue only when it is settled. The leaving replica therefore finishes (or
 * gives back) what it holds behind a marker, and the next one holds its deliveries until the
 * marker says done, then gives them back so they come again in queue order. A replica that dies
 * needs none of this: its connection closes and the broker requeues atomically.
 */
export function createHandover(
  state: StateStore,
  options: { group: string; me: string; pollMs?: number; doneTtlMs?: number },
): Handover {
  const key = (shard: number) => `${options.group}:${shard}`
  const pollMs = options.pollMs ?? 100
  const doneTtl = options.doneTtlMs ?? 60_000
  return {
    async begin(shard, timeoutMs) {
      // Outlives the drain a little, so a replica that dies mid-drain blocks the shard only briefly.
      const marker: Marker = { state: 'draining', by: options.me, at: Date.now() }
      await state.set(NS, key(shard), marker, timeoutMs + 30_000)
    },
    async end(shard) {
      const marker: Marker = { state: 'done', by: options.me, at: Date.now() }
      await state.set(NS, key(shard), marker, doneTtl)
    },
    async settle(shard) {
      let seen = false
      for (;;) {
        const marker = await state.get<Marker>(NS, key(shard))
        if (!marker || marker.by === options.me) return seen
        seen = true
        if (marker.state === 'done') return true
        await new Promise((resolve) => setTimeout(resolve, pollMs))
      }
    },
  }
}
