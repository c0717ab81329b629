import type { BrokerStatus } from '../broker.js'

export interface StatusCell {
  get(): BrokerStatus
  update(change: Partial<BrokerStatus>): void
  subscribe(listener: (status: BrokerStatus) => void): () => void
}

/** Holds the connection status and tells listeners (readiness, metrics) only when it changes. */
export function createStatusCell(): StatusCell {
  let status: BrokerStatus = { connected: false, reconnects: 0 }
  const listeners = new Set<(status: BrokerStatus) => void>()
  return {
    get: () => ({ ...status }),
    update(change) {
      const next = { ...status, ...change }
      const same = (Object.keys(next) as (keyof BrokerStatus)[]).every((k) => next[k] === status[k])
      if (same) return
      status = next
      for (const listener of listeners) {
        try {
          listener({ ...status })
        } catch {
          // A listener's bug must not break the connection loop that called it.
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
