/**
 * @module
 * Value lists of the CIM enumerations, as CCM's object model names them.
 */
import { z } from 'zod'

/** Who sent a CIM message (CCM's `SenderType`). */
export const SENDER_TYPES = ['AGENT', 'BOT', 'CUSTOMER', 'APP', 'CONNECTOR', 'SYSTEM'] as const

/** Header `intent` values (CCM's `MessageIntent`); `null` is a normal message. */
export const MESSAGE_INTENTS = [
  'NONE',
  'REPLY_TO',
  'UPDATE',
  'START_CHAT',
  'END_CHAT',
  'CALL_LEG_STARTED',
  'CALL_LEG_ENDED',
  'AGENT_OUTBOUND',
  'START_VOICE',
  'END_VOICE',
  'NETWORK_DISCONNECT',
  'ASSIGN_RESOURCE_REQUESTED',
  'IVR_AGGREGATED_ACTIVITY',
  'START_CONVERSATION',
  'CALL_HOLD',
  'CALL_RESUME',
] as const

/**
 * `notificationType` of a `NOTIFICATION` body: the object model's values plus the transfer and
 * conference types that only the CX documentation lists.
 */
export const NOTIFICATION_TYPES = [
  'INFO',
  'SYSTEM_ERROR',
  'WARNING',
  'CHANNEL_SESSION_STARTED',
  'CHANNEL_SESSION_EXPIRED',
  'CHANNEL_SESSION_ENDED',
  'AGENT_SUBSCRIBED',
  'AGENT_UNSUBSCRIBED',
  'TASK_ENQUEUED',
  'NO_AGENT_AVAILABLE',
  'TYPING_STARTED',
  'TYPING_STOPPED',
  'AGENT_RESERVED',
  'PARTICIPANT_ROLE_CHANGED',
  'TASK_STATE_CHANGED',
  'CHANNEL_SESSION_DATA_UPDATED',
  'ADVISOR_SUBSCRIBED',
  'ROOM_MEMBER_STATUS_CHANGED',
  'CONSULT_TRANSFER',
  'CONSULT_CONFERENCE',
  'DIRECT_TRANSFER',
] as const

/** `status` of a `DELIVERYNOTIFICATION` body; `CONNECTED` is used by voice channels. */
export const DELIVERY_STATUSES = ['DELIVERED', 'READ', 'CONNECTED', 'FAILED'] as const

/** The `type` values of media bodies; documents travel as `FILE`. */
export const MEDIA_BODY_TYPES = ['IMAGE', 'VIDEO', 'AUDIO', 'FILE', 'MULTIMEDIA'] as const

export const BUTTON_MESSAGE_TYPES = ['BUTTON', 'QUICK_REPLIES'] as const

export const CAROUSEL_MESSAGE_TYPES = ['MEDIA', 'GENERIC_RICH_MEDIA'] as const

export const TEMPLATE_COMPONENT_TYPES = ['header', 'body', 'button'] as const

export const TEMPLATE_PARAMETER_TYPES = [
  'text',
  'currency',
  'date_time',
  'image',
  'document',
  'video',
  'payload',
] as const

export const COMMENT_ITEM_TYPES = [
  'VIDEO',
  'TEXT',
  'IMAGE',
  'LIKE',
  'UNLIKE',
  'DELETE',
  'HIDE',
  'PRIVATE_REPLY',
] as const

/**
 * A string typed as one of `values` but accepting any string at parse time.
 *
 * CX adds enum members between releases and the host relays CCM's messages rather than
 * interpreting them, so rejecting an unknown member would drop a message that CCM itself
 * produced. The static type still lists the known members so that code building messages is
 * checked for typos. `base` carries extra runtime constraints such as `.min(1)`.
 */
export function openEnum<const T extends string>(
  values: readonly T[],
  base: z.ZodString = z.string(),
): z.ZodType<T, T> {
  return base.meta({ examples: [...values] }) as unknown as z.ZodType<T, T>
}
