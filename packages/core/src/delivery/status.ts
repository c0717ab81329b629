import type { ReceiptStatus } from '@plugboard/sdk'

const RANK: Record<ReceiptStatus, number> = { queued: 0, sent: 1, delivered: 2, read: 3, failed: 4 }

/**
 * The next status, or undefined when `next` would move the message backwards. Status only moves
 * forward (queued < sent < delivered < read); failed is final and can only follow queued or sent,
 * so a late "failed" after "delivered" or a late "delivered" after "read" is ignored.
 */
export function advance(
  current: ReceiptStatus | undefined,
  next: ReceiptStatus,
): ReceiptStatus | undefined {
  if (current === undefined) return next
  if (current === 'failed') return undefined
  if (next === 'failed') return RANK[current] < RANK.delivered ? 'failed' : undefined
  return RANK[next] > RANK[current] ? next : undefined
}

/** The CIM delivery status CCM understands for a provider status, if any. */
export function toCimStatus(status: ReceiptStatus): 'DELIVERED' | 'READ' | 'FAILED' | undefined {
  if (status === 'delivered') return 'DELIVERED'
  if (status === 'read') return 'READ'
  if (status === 'failed') return 'FAILED'
  return undefined
}
