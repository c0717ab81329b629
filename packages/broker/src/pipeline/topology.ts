import type { Direction } from '@plugboard/core'

/**
 * Queue names of the broker-backed pipeline. Outbound queues are per connector, so a failing
 * provider holds only its own connector's queues. Inbound queues are shared by all connectors:
 * every inbound message goes to the same route (CCM), so splitting them would only multiply
 * queues. Each is split into shards by a hash of the order key; a shard queue has a single
 * active consumer, which is what keeps a conversation in order across replicas.
 */
export interface Topology {
  readonly prefix: string
  readonly shards: number
  queueOf(direction: Direction, connectorId: string, shard: number): string
  /** Where the pipeline's dead letters go, with the reason in headers. */
  readonly deadQueue: string
  /** Where messages that cannot be decoded at all are rejected to. */
  readonly unreadableQueue: string
}

export function createTopology(prefix: string, shards: number): Topology {
  return {
    prefix,
    shards,
    queueOf: (direction, connectorId, shard) =>
      direction === 'inbound'
        ? `${prefix}.inbound.${shard}`
        : `${prefix}.outbound.${connectorId}.${shard}`,
    deadQueue: `${prefix}.dead`,
    unreadableQueue: `${prefix}.unreadable`,
  }
}

/** The shard of an order key: FNV-1a, stable across processes and versions. */
export function shardOf(orderKey: string, shards: number): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < orderKey.length; i++) {
    hash ^= orderKey.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return (hash >>> 0) % shards
}

/**
 * The replica that should consume a shard: shards dealt round-robin over the sorted live
 * replicas, so every replica computes the same answer from the same member list and each gets
 * an even share. Undefined while no member list is known (then everybody may consume).
 */
export function ownerOf(shard: number, members: readonly string[]): string | undefined {
  return members.length === 0 ? undefined : members[shard % members.length]
}
