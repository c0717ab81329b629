/**
 * @module
 * Messages for the customer of a routed channel. They are handed to the host like any message
 * this connector produces; the host sends them out through the channel's own connector (an SMS
 * connector, say), with its retries, receipts and order.
 */
import {
  type CimBody,
  type InboundResult,
  inboundMessage,
  type PluginContext,
  type Sender,
} from '@plugboard/sdk'
import type { ConversationRef } from './conversations.js'

export interface ToCustomerOptions {
  /** The CIM id; random when omitted. */
  id?: string
  /** Repeats with the same key are dropped by the host (48 h), e.g. a retried notice. */
  dedupeKey?: string
  sender: Sender
}

export type CustomerLine = (
  ref: ConversationRef,
  body: CimBody,
  options: ToCustomerOptions,
) => Promise<InboundResult>

/** Who speaks when the middleware itself writes to the customer (idle prompt, notices). */
export const SYSTEM_SENDER: Sender = {
  id: 'cxone-byoc',
  type: 'SYSTEM',
  senderName: 'CXone',
  additionalDetail: null,
}

export function createCustomerLine(ctx: Pick<PluginContext<unknown>, 'inbound' | 'connectorId'>) {
  const line: CustomerLine = (ref, body, options) => {
    const message = inboundMessage({
      serviceIdentifier: ref.serviceIdentifier,
      customerId: ref.customerId,
      body,
      connectorId: ctx.connectorId,
      ...(options.id ? { id: options.id } : {}),
    })
    message.header.sender = options.sender
    return ctx.inbound(message, options.dedupeKey ? { providerMessageId: options.dedupeKey } : {})
  }
  return line
}
