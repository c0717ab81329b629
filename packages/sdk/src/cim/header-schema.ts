/**
 * @module
 * Schemas of the CIM message header and its parts (CCM's `MessageHeader`, `Sender`,
 * `ChannelData`, `Customer`). Every object is loose: CCM adds fields between releases and the
 * host must relay them untouched.
 */
import { z } from 'zod'
import { MESSAGE_INTENTS, openEnum, SENDER_TYPES } from './enums.js'

/** A JSON object of free-form data (Java `Map` or `JsonNode` on CCM's side). */
export const JsonObjectSchema = z.record(z.string(), z.unknown())

/** CCM serialises `java.sql.Timestamp` as epoch milliseconds; some senders send it as a string. */
export const TimestampSchema = z.union([z.number(), z.string()])

/** A Unified Admin attribute `{key, type, value}`, e.g. the web channel's `WebChannelData`. */
export const ChannelAttributeSchema = z.looseObject({
  key: z.string(),
  type: z.string().nullish(),
  value: z.unknown().optional(),
})

export const SenderSchema = z.looseObject({
  id: z.string().min(1),
  // Open at runtime: a newer CX may send a sender type this list lacks (see openEnum).
  type: openEnum(SENDER_TYPES, z.string().min(1)),
  senderName: z.string().nullish(),
  additionalDetail: JsonObjectSchema.nullish(),
})

export const ChannelDataSchema = z.looseObject({
  /** The customer's address on the channel, e.g. an MSISDN or a Facebook user id. */
  channelCustomerIdentifier: z.string().min(1),
  /** Must equal the `serviceIdentifier` of a Channel in Unified Admin. */
  serviceIdentifier: z.string().min(1),
  /** 0 (lowest) to 10 (highest); routing is FIFO when absent. */
  requestPriority: z.number().int().nullish(),
  customerFirstName: z.string().nullish(),
  customerLastName: z.string().nullish(),
  additionalAttributes: z.array(ChannelAttributeSchema).nullish(),
  /** Not in CCM's object model but sent by the web and voice connectors, e.g. `CX_VOICE`. */
  channelTypeCode: z.string().nullish(),
})

/** The CX customer record; channel-identifier attributes appear as extra top-level keys. */
export const CustomerSchema = z.looseObject({
  _id: z.string().nullish(),
  firstName: z.string().nullish(),
  phoneNumber: z.array(z.string()).nullish(),
  isAnonymous: z.boolean().nullish(),
  __v: z.number().nullish(),
  additionalDetail: JsonObjectSchema.nullish(),
})

export const CimHeaderSchema = z.looseObject({
  sender: SenderSchema,
  channelData: ChannelDataSchema,
  language: JsonObjectSchema.nullish(),
  timestamp: TimestampSchema.nullish(),
  securityInfo: JsonObjectSchema.nullish(),
  stamps: z.array(z.unknown()).nullish(),
  // Open at runtime: connectors in the field send `""`, and CX adds intents between releases.
  intent: openEnum(MESSAGE_INTENTS).nullish(),
  entities: JsonObjectSchema.nullish(),
  channelSessionId: z.string().nullish(),
  conversationId: z.string().nullish(),
  customer: CustomerSchema.nullish(),
  /** With intent `REPLY_TO`: the CIM id of the message replied to. */
  originalMessageId: z.string().nullish(),
  providerMessageId: z.string().nullish(),
  schedulingMetaData: JsonObjectSchema.nullish(),
  roomId: z.string().nullish(),
})
