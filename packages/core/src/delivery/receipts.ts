import {
  type CimMessage,
  deliveryNotification,
  type ReceiptResult,
  type ReceiptStatus,
  type ReceiptUpdate,
} from '@plugboard/sdk'
import type { Pipeline } from '../pipeline/types.js'
import type { StateStore } from '../store/state-store.js'
import { advance, toCimStatus } from './status.js'

const SENT = 'sent'
const PROVIDER_IDS = 'provider-id'
const STATUS = 'status'
const EARLY = 'early-receipt'
const DAY = 24 * 3600_000

interface SentRecord {
  messageId: string
  serviceIdentifier: string
  customerId: string
}

interface StatusRecord {
  status: ReceiptStatus
}

/** A status change that was applied (it moved the message forward). */
export interface StatusChange {
  connectorId: string
  /** The CIM id of the outbound message. */
  messageId: string
  status: ReceiptStatus
  providerMessageId?: string
  reasonCode?: string
  reason?: string
  serviceIdentifier: string
  customerId: string
}

export interface ReceiptsOptions {
  state: StateStore
  pipeline: Pipeline
  /** How long sent markers and provider id maps are kept. */
  retentionMs?: number
  /**
   * Observes every applied status change (delivery reports, CRM updates). Returning false keeps
   * the change from CCM: for messages CCM did not send, such as AMQ SendSms. Must not throw.
   */
  onStatus?: (change: StatusChange) => Promise<boolean | undefined> | boolean | undefined
}

/**
 * Tracks what was sent and turns provider receipts into CCM delivery notifications: sent markers
 * against double sends, provider id → CIM id, and a monotonic status per message.
 */
export function createReceipts(options: ReceiptsOptions) {
  const { state, pipeline } = options
  const retention = options.retentionMs ?? 7 * DAY
  const pidKey = (connectorId: string, pid: string) => `${connectorId}\u0000${pid}`

  async function notify(
    connectorId: string,
    record: SentRecord,
    status: ReceiptStatus,
    providerMessageId?: string,
    reasonCode?: string,
  ) {
    const cimStatus = toCimStatus(status)
    if (!cimStatus) return
    const message = deliveryNotification({
      messageId: record.messageId,
      status: cimStatus,
      ...(reasonCode ? { reasonCode } : {}),
      serviceIdentifier: record.serviceIdentifier,
      customerId: record.customerId,
      ...(providerMessageId ? { providerMessageId } : {}),
      connectorId,
    })
    await pipeline.submit({ direction: 'inbound', connectorId, message })
  }

  async function transition(
    connectorId: string,
    record: SentRecord,
    update: Omit<ReceiptUpdate, 'providerMessageId'> & { providerMessageId?: string },
  ): Promise<ReceiptResult> {
    let applied = false
    await state.update<StatusRecord>(
      STATUS,
      record.messageId,
      (current) => {
        const next = advance(current?.status, update.status)
        if (!next) return undefined
        applied = true
        return { status: next }
      },
      retention,
    )
    if (!applied) return { status: 'stale', messageId: record.messageId }
    const observed = await Promise.resolve()
      .then(() =>
        options.onStatus?.({
          connectorId,
          messageId: record.messageId,
          status: update.status,
          serviceIdentifier: record.serviceIdentifier,
          customerId: record.customerId,
          ...(update.providerMessageId ? { providerMessageId: update.providerMessageId } : {}),
          ...(update.reasonCode ? { reasonCode: update.reasonCode } : {}),
          ...(update.reason ? { reason: update.reason } : {}),
        }),
      )
      .catch(() => undefined)
    if (observed === false) return { status: 'applied', messageId: record.messageId }
    await notify(connectorId, record, update.status, update.providerMessageId, update.reasonCode)
    return { status: 'applied', messageId: record.messageId }
  }

  async function applyEarly(connectorId: string, providerMessageId: string, record: SentRecord) {
    const early = await state.take<ReceiptUpdate[]>(EARLY, pidKey(connectorId, providerMessageId))
    for (const update of early ?? []) await transition(connectorId, record, update)
  }

  return {
    /** True when this message was already handed to the provider (a redelivery must not send it again). */
    async wasSent(messageId: string): Promise<boolean> {
      return (await state.get(SENT, messageId)) !== undefined
    },

    /** Records a successful send; applies receipts that arrived before the send returned. */
    async recordSent(
      connectorId: string,
      message: CimMessage,
      providerMessageId: string | undefined,
      status: ReceiptStatus = 'sent',
    ) {
      const record: SentRecord = {
        messageId: message.id,
        serviceIdentifier: message.header.channelData.serviceIdentifier,
        customerId: message.header.channelData.channelCustomerIdentifier,
      }
      const marker = { providerMessageId: providerMessageId ?? null, at: Date.now() }
      // Both in one group commit: the marker and the id map are durable together.
      await Promise.all([
        state.set(SENT, message.id, marker, retention),
        providerMessageId
          ? state.set(PROVIDER_IDS, pidKey(connectorId, providerMessageId), record, retention)
          : undefined,
      ])
      if (!providerMessageId) return
      await transition(connectorId, record, { status, providerMessageId })
      await applyEarly(connectorId, providerMessageId, record)
    },

    /** Applies a provider receipt. */
    async apply(connectorId: string, update: ReceiptUpdate): Promise<ReceiptResult> {
      const record = await state.get<SentRecord>(
        PROVIDER_IDS,
        pidKey(connectorId, update.providerMessageId),
      )
      if (!record) {
        // Providers can call back before our send call has returned; keep the receipt briefly.
        const key = pidKey(connectorId, update.providerMessageId)
        await state.update<ReceiptUpdate[]>(
          EARLY,
          key,
          (list) => [...(list ?? []), update],
          10 * 60_000,
        )
        // The send may have been recorded meanwhile; whichever side comes second applies the
        // kept receipts, and applying one twice is harmless because status only moves forward.
        const now = await state.get<SentRecord>(PROVIDER_IDS, key)
        if (now) await applyEarly(connectorId, update.providerMessageId, now)
        return { status: 'unknown' }
      }
      return transition(connectorId, record, update)
    },

    /** The message could not be sent at all: tell CCM it failed (unless a receipt already said otherwise). */
    async failed(connectorId: string, message: CimMessage, reasonCode: string) {
      const record: SentRecord = {
        messageId: message.id,
        serviceIdentifier: message.header.channelData.serviceIdentifier,
        customerId: message.header.channelData.channelCustomerIdentifier,
      }
      await transition(connectorId, record, { status: 'failed', reasonCode })
    },
  }
}

export type Receipts = ReturnType<typeof createReceipts>
