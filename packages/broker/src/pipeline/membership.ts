import type { StateStore } from '@plugboard/core'
import type { Logger } from '@plugboard/sdk'

export interface MembershipOptions {
  state: StateStore
  /** Namespace key of the member list; replicas of one deployment share it. */
  group: string
  id: string
  heartbeatMs: number
  /** A replica not heard from for this long is no longer a member. */
  ttlMs: number
  /** Heartbeats stop while this is false (the broker is gone), so others take over our shards. */
  healthy: () => boolean
  log: Logger
}

export interface Membership {
  readonly id: string
  /** Live replicas, sorted; empty until the first heartbeat went through. */
  members(): readonly string[]
  /** True when the list was read recently enough to act on. */
  fresh(): boolean
  start(): Promise<void>
  /** Leaves the group, so the others take over at once instead of after the TTL. */
  stop(): Promise<void>
}

type Roster = Record<string, number>

const NS = 'pipeline-members'

/**
 * Which replicas share the pipeline: a roster of heartbeats in the shared state store. It only
 * decides how shards are dealt; correctness (one consumer per shard) comes from the broker's
 * single-active-consumer queues, so a stale roster costs balance, never order.
 */
export function createMembership(options: MembershipOptions): Membership {
  const { state, group, id, log } = options
  let members: string[] = []
  let lastBeat = 0
  let timer: NodeJS.Timeout | undefined

  async function beat() {
    if (!options.healthy()) return
    const now = Date.now()
    try {
      const roster = await state.update<Roster>(
        NS,
        group,
        (current) => {
          const next: Roster = { [id]: now + options.ttlMs }
          for (const [member, until] of Object.entries(current ?? {})) {
            if (member !== id && until > now) next[member] = until
          }
          return next
        },
        options.ttlMs * 3,
      )
      members = Object.keys(roster ?? {}).sort()
      lastBeat = now
    } catch (error) {
      log.warn({ err: error }, 'pipeline heartbeat failed; shard ownership may lag')
    }
  }

  return {
    id,
    members: () => members,
    fresh: () => Date.now() - lastBeat < options.ttlMs,
    async start() {
      await beat()
      timer = setInterval(() => void beat(), options.heartbeatMs)
      timer.unref()
    },
    async stop() {
      if (timer) clearInterval(timer)
      timer = undefined
      members = []
      await state
        .update<Roster>(
          NS,
          group,
          (current) => {
            if (!current || !(id in current)) return undefined
            const { [id]: _gone, ...rest } = current
            return rest
          },
          options.ttlMs * 3,
        )
        .catch((error: unknown) => log.warn({ err: error }, 'could not leave the pipeline group'))
    },
  }
}
