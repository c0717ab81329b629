/**
 * @module
 * One schema per known CIM body type (CCM's `MessageBody` subtypes). Every object is loose, and
 * only the fields a body is meaningless without are required; the rest may be null or missing,
 * as CCM's Java objects serialise them.
 */
import { z } from 'zod'
import {
  BUTTON_MESSAGE_TYPES,
  CAROUSEL_MESSAGE_TYPES,
  COMMENT_ITEM_TYPES,
  DELIVERY_STATUSES,
  MEDIA_BODY_TYPES,
  NOTIFICATION_TYPES,
  openEnum,
  TEMPLATE_COMPONENT_TYPES,
  TEMPLATE_PARAMETER_TYPES,
} from './enums.js'
import { JsonObjectSchema, TimestampSchema } from './header-schema.js'

// Every body may carry text; CCM sends null or omits it for non-text bodies.
const markdownText = z.string().nullish()
// Structured bodies carry provider-specific extras here, e.g. `fileName` for FILE.
const additionalDetails = JsonObjectSchema.nullish()
// The examples show both `200` and `"200"`.
const ReasonCodeSchema = z.union([z.string(), z.number()])

export const AttachmentSchema = z.looseObject({
  mediaUrl: z.string(),
  thumbnail: z.string().nullish(),
  mimeType: z.string().nullish(),
  /** Bytes. */
  size: z.number().nullish(),
  mediaLabel: z.string().nullish(),
  mediaName: z.string().nullish(),
})

export const ButtonSchema = z.looseObject({
  title: z.string().nullish(),
  payload: z.string().nullish(),
  type: z.string().nullish(),
  additionalButtonDetails: JsonObjectSchema.nullish(),
})

export const CarouselElementSchema = z.looseObject({
  text: z.string().nullish(),
  url: z.string().nullish(),
  buttons: z.array(ButtonSchema).nullish(),
  defaultAction: z.looseObject({ type: z.string().nullish(), url: z.string().nullish() }).nullish(),
  additionalCarouselElementDetails: JsonObjectSchema.nullish(),
})

export const ContactSchema = z.looseObject({
  name: z
    .looseObject({
      formattedName: z.string().nullish(),
      additionalNameDetails: JsonObjectSchema.nullish(),
    })
    .nullish(),
  phones: z
    .array(
      z.looseObject({
        phone: z.string().nullish(),
        additionalPhoneDetails: JsonObjectSchema.nullish(),
      }),
    )
    .nullish(),
  additionalContactDetails: JsonObjectSchema.nullish(),
})

export const TemplateParameterSchema = z.looseObject({
  parameterType: openEnum(TEMPLATE_PARAMETER_TYPES).nullish(),
  additionalParameterDetails: JsonObjectSchema.nullish(),
})

export const TemplateComponentSchema = z.looseObject({
  type: openEnum(TEMPLATE_COMPONENT_TYPES).nullish(),
  parameters: z.array(TemplateParameterSchema).nullish(),
  additionalComponentDetails: JsonObjectSchema.nullish(),
})

export const PlainBodySchema = z.looseObject({
  type: z.literal('PLAIN'),
  markdownText,
})

/** IMAGE, VIDEO, AUDIO, FILE and MULTIMEDIA share one shape. */
export const MediaBodySchema = z.looseObject({
  type: z.enum(MEDIA_BODY_TYPES),
  markdownText,
  caption: z.string().nullish(),
  attachment: AttachmentSchema,
  additionalDetails,
})

export const StickerBodySchema = z.looseObject({
  type: z.literal('STICKER'),
  markdownText,
  mediaUrl: z.string().nullish(),
  stickerId: z.string().nullish(),
  additionalDetails,
})

export const UrlBodySchema = z.looseObject({
  type: z.literal('URL'),
  markdownText,
  mediaUrl: z.string(),
  additionalDetails,
})

export const LocationBodySchema = z.looseObject({
  type: z.literal('LOCATION'),
  markdownText,
  location: z.looseObject({ latitude: z.number(), longitude: z.number() }),
  additionalDetails,
})

export const ContactBodySchema = z.looseObject({
  type: z.literal('CONTACT'),
  markdownText,
  contacts: z.array(ContactSchema),
  additionalDetails,
})

export const ButtonBodySchema = z.looseObject({
  type: z.literal('BUTTON'),
  markdownText,
  buttonMessageType: openEnum(BUTTON_MESSAGE_TYPES).nullish(),
  buttons: z.array(ButtonSchema),
  additionalDetails,
})

export const CarouselBodySchema = z.looseObject({
  type: z.literal('CAROUSEL'),
  markdownText,
  carouselMessageType: openEnum(CAROUSEL_MESSAGE_TYPES).nullish(),
  elements: z.array(CarouselElementSchema),
  additionalDetails,
})

export const TemplateBodySchema = z.looseObject({
  type: z.literal('TEMPLATE'),
  markdownText,
  namespace: z.string().nullish(),
  name: z.string().min(1),
  language: z.looseObject({ code: z.string().nullish(), policy: z.string().nullish() }).nullish(),
  components: z.array(TemplateComponentSchema).nullish(),
  additionalDetails,
})

export const NotificationBodySchema = z.looseObject({
  type: z.literal('NOTIFICATION'),
  markdownText,
  notificationType: openEnum(NOTIFICATION_TYPES, z.string().min(1)),
  notificationData: JsonObjectSchema.nullish(),
})

export const DeliveryNotificationBodySchema = z.looseObject({
  type: z.literal('DELIVERYNOTIFICATION'),
  markdownText,
  /** The CIM id of the message this receipt is about. */
  messageId: z.string().min(1),
  // Strict, unlike the other enums: CCM binds it to a Java enum and rejects anything else.
  status: z.enum(DELIVERY_STATUSES),
  /** `200` for DELIVERED and READ; `400`, `404` or `500` for FAILED. */
  reasonCode: ReasonCodeSchema.nullish(),
})

export const DeletedNotificationBodySchema = z.looseObject({
  type: z.literal('DELETEDNOTIFICATION'),
  markdownText,
  messageId: z.string().min(1),
  timestamp: TimestampSchema.nullish(),
})

export const CommentBodySchema = z.looseObject({
  type: z.literal('COMMENT'),
  markdownText,
  postId: z.string().nullish(),
  attachment: AttachmentSchema.nullish(),
  itemType: openEnum(COMMENT_ITEM_TYPES).nullish(),
  additionalDetails,
})

export const EmailBodySchema = z.looseObject({
  type: z.literal('EMAIL'),
  markdownText,
  subject: z.string().nullish(),
  from: z.string().nullish(),
  replyTo: z.array(z.string()).nullish(),
  receivingDate: TimestampSchema.nullish(),
  htmlBody: z.string().nullish(),
  recipientsTo: z.array(z.string()).nullish(),
  recipientsCc: z.array(z.string()).nullish(),
  recipientsBcc: z.array(z.string()).nullish(),
  emailThreads: z.array(z.unknown()).nullish(),
  attachments: z.array(z.unknown()).nullish(),
  additionalDetails,
})

export const VoiceBodySchema = z.looseObject({
  type: z.literal('VOICE'),
  markdownText,
  callId: z.string().nullish(),
  leg: z.string().nullish(),
  reasonCode: ReasonCodeSchema.nullish(),
  additionalDetail: JsonObjectSchema.nullish(),
})

export const ActionBodySchema = z.looseObject({
  type: z.literal('ACTION'),
  markdownText,
  /** e.g. `FIND_AGENT`. */
  name: z.string().min(1),
  data: z.unknown().optional(),
  additionalDetails,
})

export const WrapupBodySchema = z.looseObject({
  type: z.literal('WRAPUP'),
  markdownText,
  note: z.string().nullish(),
  wrapups: z.array(z.unknown()).nullish(),
  additionalDetails,
})

export const CustomBodySchema = z.looseObject({
  type: z.literal('CUSTOM'),
  markdownText,
  jsonNode: z.unknown().optional(),
  additionalDetails,
})

export const ReceiptBodySchema = z.looseObject({
  type: z.literal('RECEIPT'),
  markdownText,
  templateType: z.string().nullish(),
  sharable: z.boolean().nullish(),
  recipientName: z.string().nullish(),
  merchantName: z.string().nullish(),
  orderNumber: z.string().nullish(),
  currency: z.string().nullish(),
  /** Spelled as in CCM's object model. */
  paymentMethode: z.string().nullish(),
  timestamp: TimestampSchema.nullish(),
  elements: z.array(z.unknown()).nullish(),
  address: JsonObjectSchema.nullish(),
  summary: JsonObjectSchema.nullish(),
  adjustments: z.array(z.unknown()).nullish(),
  additionalDetails,
})

/** Any body, known or not: only a non-empty `type` is required. */
export const GenericBodySchema = z.looseObject({ type: z.string().min(1) })
