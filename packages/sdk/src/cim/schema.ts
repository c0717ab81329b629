/**
 * @module
 * zod schemas of the CIM message `{id, header, body}`, the envelope CCM and its connectors
 * exchange.
 */
import { z } from 'zod'
import {
  ActionBodySchema,
  ButtonBodySchema,
  CarouselBodySchema,
  CommentBodySchema,
  ContactBodySchema,
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
  UrlBodySchema,
  VoiceBodySchema,
  WrapupBodySchema,
} from './body-schemas.js'
import { CimHeaderSchema } from './header-schema.js'
import type { CimBody, KnownBodyType } from './types.js'

export * from './body-schemas.js'
export * from './header-schema.js'

/** The body `type`s this SDK validates; any other type is relayed as it is. */
export const KNOWN_BODY_TYPES = [
  'PLAIN',
  'IMAGE',
  'VIDEO',
  'AUDIO',
  'FILE',
  'MULTIMEDIA',
  'STICKER',
  'URL',
  'LOCATION',
  'CONTACT',
  'BUTTON',
  'CAROUSEL',
  'TEMPLATE',
  'NOTIFICATION',
  'DELIVERYNOTIFICATION',
  'DELETEDNOTIFICATION',
  'COMMENT',
  'EMAIL',
  'VOICE',
  'ACTION',
  'WRAPUP',
  'CUSTOM',
  'RECEIPT',
] as const

const BODY_SCHEMA_BY_TYPE: Record<KnownBodyType, z.ZodType> = {
  PLAIN: PlainBodySchema,
  IMAGE: MediaBodySchema,
  VIDEO: MediaBodySchema,
  AUDIO: MediaBodySchema,
  FILE: MediaBodySchema,
  MULTIMEDIA: MediaBodySchema,
  STICKER: StickerBodySchema,
  URL: UrlBodySchema,
  LOCATION: LocationBodySchema,
  CONTACT: ContactBodySchema,
  BUTTON: ButtonBodySchema,
  CAROUSEL: CarouselBodySchema,
  TEMPLATE: TemplateBodySchema,
  NOTIFICATION: NotificationBodySchema,
  DELIVERYNOTIFICATION: DeliveryNotificationBodySchema,
  DELETEDNOTIFICATION: DeletedNotificationBodySchema,
  COMMENT: CommentBodySchema,
  EMAIL: EmailBodySchema,
  VOICE: VoiceBodySchema,
  ACTION: ActionBodySchema,
  WRAPUP: WrapupBodySchema,
  CUSTOM: CustomBodySchema,
  RECEIPT: ReceiptBodySchema,
}

// A Map, not the record itself, so that a `type` such as `constructor` cannot hit the prototype.
const bodySchemas = new Map<string, z.ZodType>(Object.entries(BODY_SCHEMA_BY_TYPE))

/**
 * A CIM body. A known `type` is checked against its schema, with issue paths pointing into the
 * body (e.g. `location.latitude`); any other type only needs a non-empty `type`. Either way the
 * output is the input unchanged, so a newer CCM's body types and fields are relayed intact.
 *
 * CCM falls back to a generic message for a type it does not know, and this mirrors that. A
 * discriminated union cannot, since it rejects unlisted discriminators, and a plain union with a
 * catch-all member would accept a malformed known body through the catch-all.
 */
export const CimBodySchema = GenericBodySchema.superRefine((body, ctx) => {
  const schema = bodySchemas.get(body.type)
  if (schema === undefined) return
  const result = schema.safeParse(body)
  if (result.success) return
  for (const issue of result.error.issues) ctx.addIssue({ ...issue })
}) as unknown as z.ZodType<CimBody, CimBody>

export const CimMessageSchema = z.looseObject({
  /** Any unique string; CX itself uses UUIDs and Mongo ObjectIds. */
  id: z.string().min(1),
  header: CimHeaderSchema,
  body: CimBodySchema,
})
