/**
 * @module
 * Builders for the CIM messages a connector sends to CCM.
 */
import { randomUUID } from 'node:crypto'
import type {
  ChannelAttribute,
  CimBody,
  CimMessage,
  DeliveryNotificationBody,
  DeliveryStatus,
  MessageIntent,
  PlainBody,
} from './types.js'

/** `sender.senderName` when none is given. */
export const DEFAULT_SENDER_NAME = 'PLUGBOARD'
/** `sender.id` when no connector id is given; CCM requires one but does not resolve it. */
export const DEFAULT_SENDER_ID = 'plugboard'

export interface InboundMessageInput {
  /** The channel's `serviceIdentifier` in Unified Admin. */
  serviceIdentifier: string
  /** The customer's address on the channel (`channelCustomerIdentifier`), e.g. an MSISDN. */
  customerId: string
  body: CimBody
  /** Defaults to a random UUID. */
  id?: string
  /** Epoch milliseconds; defaults to now. */
  timestamp?: number | string
  customerFirstName?: string | null
  customerLastName?: string | null
  /** e.g. `CX_VOICE`; omitted when not given. */
  channelTypeCode?: string
  /** 0 (lowest) to 10 (highest); defaults to 0, as CX's own web connector sends. */
  requestPriority?: number
  /** The provider's id for the message. */
  providerMessageId?: string | null
  additionalAttributes?: ChannelAttribute[]
  /** Defaults to `PLUGBOARD`. */
  senderName?: string
  /** Becomes `sender.id`; defaults to `plugboard`. */
  connectorId?: string
  /** Defaults to `null`, a normal message. */
  intent?: MessageIntent | null
  entities?: Record<string, unknown> | null
}

/**
 * Builds a customer message for CCM's `/message/receive`, shaped as CX's own connectors send
 * it. The fields CX fills in (`channelSessionId`, `conversationId`, `customer`, `roomId`) are
 * left out.
 * @example
 * const message = inboundMessage({
 *   serviceIdentifier: '+15550100', customerId: '+15550199', body: text('hello'),
 * })
 */
export function inboundMessage(input: InboundMessageInput): CimMessage {
  const channelData: CimMessage['header']['channelData'] = {
    channelCustomerIdentifier: input.customerId,
    serviceIdentifier: input.serviceIdentifier,
    requestPriority: input.requestPriority ?? 0,
    customerFirstName: input.customerFirstName ?? null,
    customerLastName: input.customerLastName ?? null,
    additionalAttributes: input.additionalAttributes ?? [],
  }
  if (input.channelTypeCode !== undefined) channelData.channelTypeCode = input.channelTypeCode
  return {
    id: input.id ?? randomUUID(),
    header: {
      sender: {
        id: input.connectorId ?? DEFAULT_SENDER_ID,
        type: 'CONNECTOR',
        senderName: input.senderName ?? DEFAULT_SENDER_NAME,
        additionalDetail: null,
      },
      channelData,
      language: {},
      timestamp: input.timestamp ?? Date.now(),
      securityInfo: {},
      stamps: [],
      intent: input.intent ?? null,
      entities: input.entities ?? null,
      originalMessageId: null,
      providerMessageId: input.providerMessageId ?? null,
      schedulingMetaData: null,
    },
    body: input.body,
  }
}

/**
 * A `PLAIN` body.
 * @example
 * inboundMessage({ serviceIdentifier, customerId, body: text('hello') })
 */
export function text(markdownText: string): PlainBody {
  return { type: 'PLAIN', markdownText }
}

export interface DeliveryNotificationInput {
  /** The CIM `id` of the outbound message the receipt is about. */
  messageId: string
  status: DeliveryStatus
  /** Defaults to `500` for FAILED and `200` otherwise; CCM expects a string. */
  reasonCode?: string | number
  serviceIdentifier: string
  customerId: string
  /** Goes into the header; defaults to `messageId`, as CX's web connector does. */
  providerMessageId?: string
  /** Defaults to a random UUID. */
  id?: string
  connectorId?: string
  senderName?: string
  timestamp?: number | string
}

/**
 * Builds the `DELIVERYNOTIFICATION` message that reports a provider receipt to CCM, posted to
 * `/message/receive` like a customer message.
 * @example
 * deliveryNotification({
 *   messageId: outbound.id, status: 'FAILED', reasonCode: 400,
 *   serviceIdentifier: '+15550100', customerId: '+15550199',
 * })
 */
export function deliveryNotification(input: DeliveryNotificationInput): CimMessage {
  const body: DeliveryNotificationBody = {
    type: 'DELIVERYNOTIFICATION',
    messageId: input.messageId,
    status: input.status,
    markdownText: '',
    reasonCode: String(input.reasonCode ?? (input.status === 'FAILED' ? '500' : '200')),
  }
  return inboundMessage({
    serviceIdentifier: input.serviceIdentifier,
    customerId: input.customerId,
    body,
    providerMessageId: input.providerMessageId ?? input.messageId,
    id: input.id,
    connectorId: input.connectorId,
    senderName: input.senderName,
    timestamp: input.timestamp,
  })
}

/**
 * The key under which messages of one customer on one channel are kept in order.
 * @example
 * queue.push(conversationKey(message), message)
 */
export function conversationKey(message: {
  header: { channelData: { serviceIdentifier: string; channelCustomerIdentifier: string } }
}): string {
  const { serviceIdentifier, channelCustomerIdentifier } = message.header.channelData
  return `${serviceIdentifier}\u0000${channelCustomerIdentifier}`
}
