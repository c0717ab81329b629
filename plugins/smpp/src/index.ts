/**
 * @module @plugboard/plugin-smpp
 * SMS over SMPP 3.4: one connector per SMSC account, with its own session layer (windows,
 * response timeouts, TPS throttle, enquire_link, re-bind, throttling pauses), long and Unicode
 * messages, delivery receipts matched across replicas, and customer messages to CCM.
 */
import { definePlugin } from '@plugboard/sdk'
import { SmppConfig } from './config.js'
import { createDeliverHandler } from './deliver.js'
import { createMoHandler } from './inbound/mo.js'
import { createReassembler } from './inbound/reassembly.js'
import { createReceiptTracker } from './receipts/tracker.js'
import { createSend } from './send.js'
import { createSmppClient } from './session/client.js'
import { clientOptions } from './session-options.js'

export { destinationAddress, sourceAddress } from './addresses.js'
export { SmppConfig } from './config.js'
export { type ConcatMode, type PlanOptions, planSms, type SmsPlan } from './encoding/segment.js'
export { isSmppError, type SmppError, type SmppErrorCode } from './errors.js'
export type { ShortMessageFields } from './pdu/types.js'
export { type DeliveryReceipt, parseReceipt, type ReceiptState } from './receipts/parse.js'
export {
  type BindSpec,
  type ClientHealth,
  type ClientStats,
  createSmppClient,
  type SmppClient,
  type SmppClientOptions,
  type SubmitOptions,
  type SubmitResult,
} from './session/client.js'
export type { BindType, DeliverHandler } from './session/link.js'
export { buildSubmits, concatRef, type SubmitInput } from './submits.js'

const MO_PART_TTL_MS = 12 * 3600_000

export default definePlugin({
  id: 'smpp',
  displayName: 'SMPP SMS',
  description:
    'SMS through an SMSC over SMPP 3.4 (TCP or TLS): transmitter, receiver or transceiver binds, delivery receipts, long and Unicode messages.',
  channelTypes: ['SMS'],
  config: SmppConfig,
  webhooks: [],
  setup(ctx) {
    const config = ctx.config
    const tracker = createReceiptTracker({
      store: ctx.store,
      report: (update) => ctx.receipt(update),
      log: ctx.log,
      ttlMs: config.receiptTtlHours * 3600_000,
      waitMs: config.receiptWaitMs,
      signal: ctx.signal,
    })
    const mo = createMoHandler(ctx, createReassembler(ctx.store, MO_PART_TTL_MS))
    const onDeliver = createDeliverHandler({
      tracker,
      mo,
      log: ctx.log,
      receipts: ctx.metrics.counter('receipts', 'SMPP delivery receipts by result', ['result']),
      messages: ctx.metrics.counter('mo', 'SMPP customer messages and parts by result', ['result']),
    })
    const client = createSmppClient(clientOptions(config, ctx.log, onDeliver))
    client.start()
    return {
      send: createSend({ ctx, client, tracker }),
      stop: () => client.close(),
      health: () => client.health(),
    }
  },
})
