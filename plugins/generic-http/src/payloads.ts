/**
 * @module
 * The JSON the generic HTTP channel exchanges with the far side, in both directions.
 */
import { z } from '@plugboard/sdk'

const MediaSchema = z.object({
  url: z.url(),
  mimeType: z.string().min(1),
  caption: z.string().optional(),
})

const LocationSchema = z.object({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
})

/** `POST /message`: a customer message. Unknown keys are ignored so senders can add their own. */
export const InboundPayloadSchema = z
  .object({
    id: z.string().min(1),
    from: z.string().min(1),
    to: z.string().min(1),
    text: z.string().optional(),
    name: z.string().optional(),
    media: MediaSchema.optional(),
    location: LocationSchema.optional(),
  })
  .refine((p) => Boolean(p.text) || p.media !== undefined || p.location !== undefined, {
    path: ['text'],
    message: 'one of text, media or location is required',
  })

export type InboundPayload = z.output<typeof InboundPayloadSchema>

export const RECEIPT_STATUSES = ['queued', 'sent', 'delivered', 'read', 'failed'] as const

/** `POST /status`: a delivery receipt for a message the connector sent. */
export const StatusPayloadSchema = z.object({
  id: z.string().min(1),
  status: z.enum(RECEIPT_STATUSES),
  reason: z.string().optional(),
  code: z.union([z.string(), z.number()]).optional(),
})

export type StatusPayload = z.output<typeof StatusPayloadSchema>

/** What the connector POSTs to `outboundUrl`. */
export interface OutboundPayload {
  /** The idempotency key: the same on every retry of one message. */
  id: string
  /** The customer's address (`channelCustomerIdentifier`). */
  to: string
  /** The channel's `serviceIdentifier`. */
  from: string
  /** The CIM body type, e.g. `PLAIN`, `IMAGE`, `LOCATION`, `BUTTON`, `URL`. */
  type: string
  text?: string
  media?: { url: string; mimeType?: string; caption?: string; name?: string; size?: number }
  location?: { latitude: number; longitude: number }
  /** Only with type `URL`: the link. */
  url?: string
  buttons?: Array<{ title: string; payload?: string }>
}

/** What the far side answers to an accepted outbound POST. */
export const SendResponseSchema = z.object({ id: z.union([z.string().min(1), z.number()]) })
