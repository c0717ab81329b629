/**
 * @module
 * TypeScript types of CIM messages, inferred from the schemas. Fields the schemas treat as
 * optional are optional here, so plugin code can build messages as plain object literals.
 */
import type { z } from 'zod'
import type {
  ActionBodySchema,
  AttachmentSchema,
  ButtonBodySchema,
  ButtonSchema,
  CarouselBodySchema,
  CarouselElementSchema,
  CommentBodySchema,
  ContactBodySchema,
  ContactSchema,
  CustomBodySchema,
  DeletedNotificationBodySchema,
  DeliveryNotificationBodySchema,
  EmailBodySchema,
  GenericBodySchema,
  LocationBodySchema,
  MediaBodySchema,
  NotificationBodySchema,
  PlainBodySchema,
  ReceiptBodySchema,
  StickerBodySchema,
  TemplateBodySchema,
  TemplateComponentSchema,
  TemplateParameterSchema,
  UrlBodySchema,
  VoiceBodySchema,
  WrapupBodySchema,
} from './body-schemas.js'
import type {
  DELIVERY_STATUSES,
  MEDIA_BODY_TYPES,
  MESSAGE_INTENTS,
  NOTIFICATION_TYPES,
  SENDER_TYPES,
} from './enums.js'
import type {
  ChannelAttributeSchema,
  ChannelDataSchema,
  CimHeaderSchema,
  CustomerSchema,
  SenderSchema,
} from './header-schema.js'
import type { CimMessageSchema, KNOWN_BODY_TYPES } from './schema.js'

export type SenderType = (typeof SENDER_TYPES)[number]
export type MessageIntent = (typeof MESSAGE_INTENTS)[number]
export type NotificationType = (typeof NOTIFICATION_TYPES)[number]
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number]
export type MediaBodyType = (typeof MEDIA_BODY_TYPES)[number]
export type KnownBodyType = (typeof KNOWN_BODY_TYPES)[number]

export type Sender = z.infer<typeof SenderSchema>
export type ChannelAttribute = z.infer<typeof ChannelAttributeSchema>
export type ChannelData = z.infer<typeof ChannelDataSchema>
export type Customer = z.infer<typeof CustomerSchema>
export type CimHeader = z.infer<typeof CimHeaderSchema>

export type Attachment = z.infer<typeof AttachmentSchema>
export type Button = z.infer<typeof ButtonSchema>
export type CarouselElement = z.infer<typeof CarouselElementSchema>
export type Contact = z.infer<typeof ContactSchema>
export type TemplateComponent = z.infer<typeof TemplateComponentSchema>
export type TemplateParameter = z.infer<typeof TemplateParameterSchema>

export type PlainBody = z.infer<typeof PlainBodySchema>
export type MediaBody = z.infer<typeof MediaBodySchema>
export type StickerBody = z.infer<typeof StickerBodySchema>
export type UrlBody = z.infer<typeof UrlBodySchema>
export type LocationBody = z.infer<typeof LocationBodySchema>
export type ContactBody = z.infer<typeof ContactBodySchema>
export type ButtonBody = z.infer<typeof ButtonBodySchema>
export type CarouselBody = z.infer<typeof CarouselBodySchema>
export type TemplateBody = z.infer<typeof TemplateBodySchema>
export type NotificationBody = z.infer<typeof NotificationBodySchema>
export type DeliveryNotificationBody = z.infer<typeof DeliveryNotificationBodySchema>
export type DeletedNotificationBody = z.infer<typeof DeletedNotificationBodySchema>
export type CommentBody = z.infer<typeof CommentBodySchema>
export type EmailBody = z.infer<typeof EmailBodySchema>
export type VoiceBody = z.infer<typeof VoiceBodySchema>
export type ActionBody = z.infer<typeof ActionBodySchema>
export type WrapupBody = z.infer<typeof WrapupBodySchema>
export type CustomBody = z.infer<typeof CustomBodySchema>
export type ReceiptBody = z.infer<typeof ReceiptBodySchema>
/** A body of a type this SDK does not model, relayed as received. */
export type GenericBody = z.infer<typeof GenericBodySchema>

/** The body type for each known `type` value. */
export interface CimBodyByType {
  PLAIN: PlainBody
  IMAGE: MediaBody & { type: 'IMAGE' }
  VIDEO: MediaBody & { type: 'VIDEO' }
  AUDIO: MediaBody & { type: 'AUDIO' }
  FILE: MediaBody & { type: 'FILE' }
  MULTIMEDIA: MediaBody & { type: 'MULTIMEDIA' }
  STICKER: StickerBody
  URL: UrlBody
  LOCATION: LocationBody
  CONTACT: ContactBody
  BUTTON: ButtonBody
  CAROUSEL: CarouselBody
  TEMPLATE: TemplateBody
  NOTIFICATION: NotificationBody
  DELIVERYNOTIFICATION: DeliveryNotificationBody
  DELETEDNOTIFICATION: DeletedNotificationBody
  COMMENT: CommentBody
  EMAIL: EmailBody
  VOICE: VoiceBody
  ACTION: ActionBody
  WRAPUP: WrapupBody
  CUSTOM: CustomBody
  RECEIPT: ReceiptBody
}

/** The body type for a `type` value: the modelled one when known, else `GenericBody`. */
export type BodyOfType<T extends string> = T extends KnownBodyType ? CimBodyByType[T] : GenericBody

/**
 * A CIM body. Because `GenericBody` is part of the union, comparing `body.type` does not narrow
 * it; use `isBodyType(body, 'LOCATION')`.
 */
export type CimBody = CimBodyByType[KnownBodyType] | GenericBody

export type CimMessage = z.infer<typeof CimMessageSchema>
