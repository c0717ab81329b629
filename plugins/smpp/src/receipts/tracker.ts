/**
 * @module
 * SMSC message id → CIM message, in the host's state store so a receipt that reaches another
 * replica still resolves. A multipart message is delivered once every part is, and failed as soon
 * as one part fails.
 */
import type { KeyValueStore, Logger, ReceiptStatus, ReceiptUpdate } from '@plugboard/sdk'
import { smppError } from '../errors.js'
import { type Clock, sleep, systemClock } from '../session/clock.js'
import { idCandidates, normalizeId } from './ids.js'
import type { DeliveryReceipt, ReceiptState } from './parse.js'

/** What the store keeps per SMSC message id. Short keys: there is one record per SMS part. */
interface PartRecord {
  /** CIM message id. */
  m: string
  /** The providerMessageId `send` returned (the first part's SMSC id). */
  p: string
  /** 0-based part index and total parts. */
  i: number
  n: number
}

interface PartStatus {
  s: ReceiptStatus
  c?: string
}

export interface SentMessage {
  messageId: string
  /** SMSC ids of the parts, in order. */
  smscIds: readonly string[]
}

export type ReceiptOutcome = 'reported' | 'pending-parts' | 'ignored' | 'unknown'

export interface ReceiptTracker {
  /** The id `send` returns to the host for a message sent as these parts. */
  providerMessageId(sent: SentMessage): string | undefined
  /** Remembers the parts' SMSC ids so their receipts can be matched (on any replica). */
  recordSent(sent: SentMessage): Promise<void>
  /** Matches a receipt and reports the message's status to the host when it changes. */
  apply(receipt: DeliveryReceipt): Promise<ReceiptOutcome>
}

export interface ReceiptTrackerOptions {
  store: KeyValueStore
  report(update: ReceiptUpdate): Promise<unknown>
  log: Logger
  /** How long ids are kept: at least the SMSC's validity period. */
  ttlMs: number
  /**
   * A receipt can arrive before the submit that it answers is recorded (fast SMSC, or the submit
   * went out from another replica); it is looked up again for this long before counting as unknown.
   */
  waitMs: number
  /** Aborted when the connector stops: a receipt still waiting is left to the SMSC to resend. */
  signal?: AbortSignal
  clock?: Clock
}

const RANK: Record<ReceiptStatus, number> = { queued: 0, sent: 1, delivered: 2, read: 3, failed: 3 }

/** The host status of a receipt state: final states deliver or fail, the rest mean "on its way". */
export function receiptStatus(state: ReceiptState): ReceiptStatus {
  if (state === 'DELIVRD') return 'delivered'
  if (state === 'ACCEPTD' || state === 'ENROUTE' || state === 'SCHEDLD') return 'sent'
  return 'failed'
}

export function createReceiptTracker(options: ReceiptTrackerOptions): ReceiptTracker {
  const { store, log, ttlMs } = options
  const clock = options.clock ?? systemClock
  const idKey = (id: string) => `smsc:${id}`
  const partKey = (messageId: string, i: number) => `dlr:${messageId}:${i}`

  const find = async (id: string): Promise<PartRecord | undefined> => {
    for (const candidate of idCandidates(id)) {
      const record = await store.get<PartRecord>(idKey(candidate))
      if (record) return record
    }
    return undefined
  }

  const findWaiting = async (id: string): Promise<PartRecord | undefined> => {
    let record = await find(id)
    let waited = 0
    let step = 25
    while (!record && waited < options.waitMs) {
      const pause = Math.min(step, options.waitMs - waited)
      await sleep(clock, pause, options.signal)
      if (options.signal?.aborted) {
        throw smppError(
          'SMPP_CLOSED',
          'the connector stopped while the receipt waited for its submit',
        )
      }
      waited += pause
      step = Math.min(step * 2, 1_000)
      record = await find(id)
    }
    return record
  }

  const reasonOf = (receipt: DeliveryReceipt) => ({
    reasonCode: receipt.error ?? receipt.state,
    reason: `stat ${receipt.state}${receipt.error ? `, err ${receipt.error}` : ''}`,
  })

  return {
    providerMessageId(sent) {
      return sent.smscIds[0] || undefined
    },

    async recordSent(sent) {
      const p = sent.smscIds[0]
      if (!p) return
      const n = sent.smscIds.length
      await Promise.all(
        sent.smscIds.map((id, i) =>
          id
            ? store.set(
                idKey(normalizeId(id)),
                { m: sent.messageId, p, i, n } satisfies PartRecord,
                {
                  ttlMs,
                },
              )
            : undefined,
        ),
      )
    },

    async apply(receipt) {
      const record = await findWaiting(receipt.messageId)
      if (!record) {
        log.info(
          { smscId: receipt.messageId, state: receipt.state },
          'receipt for an unknown message id',
        )
        return 'unknown'
      }
      const status = receiptStatus(receipt.state)
      const failure: { reasonCode?: string; reason?: string } =
        status === 'failed' ? reasonOf(receipt) : {}
      if (record.n === 1) {
        await options.report({ providerMessageId: record.p, status, ...failure })
        return 'reported'
      }
      // Each part's status under its own key: receipts of two parts may be handled at once on
      // two replicas, and neither may overwrite the other's.
      const own = await store.get<PartStatus>(partKey(record.m, record.i))
      const mine: PartStatus =
        own && RANK[own.s] >= RANK[status]
          ? own
          : { s: status, ...(failure.reasonCode ? { c: failure.reasonCode } : {}) }
      if (mine !== own) await store.set(partKey(record.m, record.i), mine, { ttlMs })
      const parts = await Promise.all(
        Array.from({ length: record.n }, (_, i) =>
          i === record.i ? mine : store.get<PartStatus>(partKey(record.m, i)),
        ),
      )
      const failed = parts.find((p) => p?.s === 'failed')
      if (failed) {
        await options.report({
          providerMessageId: record.p,
          status: 'failed',
          reasonCode: failed.c ?? 'UNDELIV',
          reason: `part ${parts.indexOf(failed) + 1} of ${record.n} failed (${failed.c ?? 'UNDELIV'})`,
        })
        return 'reported'
      }
      if (parts.every((p) => p?.s === 'delivered')) {
        await options.report({ providerMessageId: record.p, status: 'delivered' })
        return 'reported'
      }
      return status === 'sent' ? 'ignored' : 'pending-parts'
    },
  }
}
