import type { TerminusOptions } from 'rhea'

/** What is on the other end, read from the open frame's properties. */
export type Flavor =
  | { kind: 'rabbitmq'; major: number; minor: number; version: string }
  | { kind: 'artemis'; version?: string }
  | { kind: 'other'; product?: string }

export function detectFlavor(properties: Record<string, unknown> | undefined): Flavor {
  const product = typeof properties?.product === 'string' ? properties.product : undefined
  const version = typeof properties?.version === 'string' ? properties.version : undefined
  if (product === 'RabbitMQ') {
    const [major = 3, minor = 0] = (version ?? '').split('.').map(Number)
    return { kind: 'rabbitmq', major, minor, version: version ?? '?' }
  }
  if (product && /artemis/i.test(product))
    return { kind: 'artemis', ...(version ? { version } : {}) }
  return { kind: 'other', ...(product ? { product } : {}) }
}

/**
 * The terminus for a queue. RabbitMQ 4 uses v2 addresses (`/queues/<name>`, percent-encoded;
 * the queue must exist). RabbitMQ 3.x's plugin uses `/amq/queue/<name>` for an existing queue;
 * its `/queue/<name>` form would re-declare the queue and, on any mismatch, fail with a session
 * error. Artemis and other brokers take the bare name, with the `queue` capability asking for
 * anycast (point-to-point) routing.
 */
export function queueTerminus(flavor: Flavor, queue: string): TerminusOptions {
  if (flavor.kind === 'rabbitmq') {
    return {
      address: flavor.major >= 4 ? `/queues/${encodeURIComponent(queue)}` : `/amq/queue/${queue}`,
    }
  }
  return { address: queue, capabilities: ['queue'] }
}

/**
 * RabbitMQ before 3.13 takes each flow frame's link-credit as a fresh grant, ignoring transfers
 * already on the wire (3.13 reworked credit flow for AMQP 1.0).
 */
export function resetsCreditOnFlow(flavor: Flavor): boolean {
  return (
    flavor.kind === 'rabbitmq' && (flavor.major < 3 || (flavor.major === 3 && flavor.minor < 13))
  )
}
