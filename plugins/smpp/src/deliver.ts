import type { Counter, Logger } from '@plugboard/sdk'
import type { MoHandler } from './inbound/mo.js'
import { ESM_CLASS } from './pdu/commands.js'
import { STATUS } from './pdu/status.js'
import type { DeliverSmPdu } from './pdu/types.js'
import { isReceipt, parseReceipt } from './receipts/parse.js'
import type { ReceiptTracker } from './receipts/tracker.js'
import type { DeliverHandler } from './session/link.js'

export interface DeliverDeps {
  tracker: ReceiptTracker
  mo: MoHandler
  log: Logger
  receipts: Counter
  messages: Counter
}

/**
 * Answers each deliver_sm once what it carries is safe: a receipt applied, a customer message
 * (or a part of one) durable in the host. A failure answers ESME_RX_T_APPN (via the link), so
 * the SMSC keeps the message and delivers it again.
 */
export function createDeliverHandler(deps: DeliverDeps): DeliverHandler {
  return async (pdu: DeliverSmPdu) => {
    if (isReceipt(pdu)) {
      const receipt = parseReceipt(pdu)
      if (!receipt) {
        // Asking for it again would bring the same unreadable text back.
        deps.log.warn(
          { from: pdu.sourceAddr, esmClass: pdu.esmClass, length: pdu.shortMessage.length },
          'unreadable delivery receipt; acknowledged and dropped',
        )
        deps.receipts.inc({ result: 'unreadable' })
        return STATUS.OK
      }
      const outcome = await deps.tracker.apply(receipt)
      deps.receipts.inc({ result: outcome })
      return STATUS.OK
    }
    const type = pdu.esmClass & ESM_CLASS.TYPE_MASK
    if (type === ESM_CLASS.DELIVERY_ACK || type === ESM_CLASS.USER_ACK) return STATUS.OK
    let outcome: Awaited<ReturnType<MoHandler['handle']>>
    try {
      outcome = await deps.mo.handle(pdu)
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'MESSAGE_INVALID') throw error
      outcome = 'unaddressed'
    }
    deps.messages.inc({ result: outcome })
    if (outcome !== 'unaddressed') return STATUS.OK
    // A permanent error: the SMSC stops offering a message no retry can deliver.
    deps.log.warn(
      { from: pdu.sourceAddr, to: pdu.destinationAddr },
      'customer message without a usable sender or recipient; refused with ESME_RX_P_APPN',
    )
    return STATUS.PERMANENT_APP_ERROR
  }
}
