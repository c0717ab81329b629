import type { HealthState } from '@plugboard/sdk'
import type { RegistrationState } from './register.js'

/**
 * The connector's health from what 360dialog last said: degraded while it refuses the API key
 * or the webhook is not (yet) registered.
 */
export function createHealth() {
  let refused: string | undefined
  let registration: RegistrationState = { state: 'ok' }
  return {
    onAuth(state: { ok: true } | { ok: false; detail: string }) {
      refused = state.ok ? undefined : state.detail
    },
    onRegistration(state: RegistrationState) {
      registration = state
    },
    health(): { state: HealthState; detail?: string } {
      const problems = [
        refused,
        registration.state === 'ok' ? undefined : registration.detail,
      ].filter((p): p is string => p !== undefined)
      return problems.length > 0
        ? { state: 'degraded', detail: problems.join('; ') }
        : { state: 'up' }
    },
  }
}
