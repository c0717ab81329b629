import type { HealthState } from '@plugboard/sdk'

/** Health as CXone's last answers show it: degraded while it refuses our credentials. */
export function createHealth() {
  let refused: string | undefined
  let removed: string | undefined
  return {
    onAuth(state: { ok: true } | { ok: false; detail: string }) {
      refused = state.ok ? undefined : state.detail
    },
    onChannel(state: { removed: false } | { removed: true; detail: string }) {
      removed = state.removed ? state.detail : undefined
    },
    health(): { state: HealthState; detail?: string } {
      const detail = removed ?? refused
      return detail ? { state: 'degraded', detail } : { state: 'up' }
    },
  }
}

export type Health = ReturnType<typeof createHealth>
