import { BrokerError } from './errors.js'

/**
 * Delays a delayed publish is rounded up to. Each bucket is one wait queue per target queue, so
 * the ladder keeps the number of queues small (1, 1.5, 2, 3, 4, 5, 7.5 per decade, 100 ms to
 * 24 h) while never delivering earlier than asked and at most 50% later (the retry backoff it
 * serves has jitter of that order anyway).
 */
export const DELAY_BUCKETS_MS: readonly number[] = [
  ...[100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000].flatMap((decade) =>
    [1, 1.5, 2, 3, 4, 5, 7.5].map((step) => decade * step),
  ),
  24 * 3_600_000,
]

export const MAX_DELAY_MS = 24 * 3_600_000

/** The smallest bucket that is at least `delayMs`. */
export function delayBucket(delayMs: number): number {
  if (delayMs > MAX_DELAY_MS) {
    throw new BrokerError(
      'BROKER_DELAY_TOO_LONG',
      `a delay of ${delayMs} ms is over the 24 h limit`,
    )
  }
  return DELAY_BUCKETS_MS.find((b) => b >= delayMs) ?? MAX_DELAY_MS
}

/** The wait queue that holds messages for `target` during one bucket's delay. */
export function waitQueueName(target: string, bucketMs: number): string {
  return `pb.delay.${bucketMs}ms.${target}`
}

/**
 * Arguments of a RabbitMQ wait queue: messages expire after the bucket's delay and are
 * dead-lettered to the target through the default exchange. A quorum queue with at-least-once
 * dead-lettering (RabbitMQ 3.10+) hands an expired message over with publisher-confirm
 * semantics inside the broker, so a broker crash during the move cannot drop it; reject-publish
 * is what that strategy requires. No x-expires: an idle wait queue costs little, deleting one
 * with messages in it would lose them.
 */
export function waitQueueArguments(target: string, bucketMs: number): Record<string, unknown> {
  return {
    'x-queue-type': 'quorum',
    'x-message-ttl': bucketMs,
    'x-dead-letter-exchange': '',
    'x-dead-letter-routing-key': target,
    'x-dead-letter-strategy': 'at-least-once',
    'x-overflow': 'reject-publish',
  }
}
