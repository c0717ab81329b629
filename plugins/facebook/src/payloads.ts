/**
 * @module
 * The parts of Meta's webhook payloads and Graph API answers the plugin reads
 * (specs/providers.md §3). Meta adds fields without notice, so every object keeps unknown keys.
 */
import { z } from '@plugboard/sdk'

// Ids are strings in Meta's payloads; a number (seen in hand-written tests) is taken as its text.
const Id = z.union([z.string().min(1), z.number()]).transform(String)
const Party = z.looseObject({ id: Id })

export const AttachmentSchema = z.looseObject({
  /** image, video, audio, file, location, fallback, template, reel, ig_reel, post, ig_post, … */
  type: z.string().min(1),
  payload: z
    .looseObject({
      url: z.string().nullish(),
      title: z.string().nullish(),
      sticker_id: z.union([z.number(), z.string()]).nullish(),
      coordinates: z.looseObject({ lat: z.number(), long: z.number() }).nullish(),
    })
    .nullish(),
  /** `fallback` attachments (shared links) carry these at the top level. */
  title: z.string().nullish(),
  URL: z.string().nullish(),
  url: z.string().nullish(),
})

export type MessengerAttachment = z.output<typeof AttachmentSchema>

export const MessageSchema = z.looseObject({
  mid: z.string().min(1),
  text: z.string().nullish(),
  is_echo: z.boolean().nullish(),
  quick_reply: z.looseObject({ payload: z.string().nullish() }).nullish(),
  reply_to: z.looseObject({ mid: z.string().nullish() }).nullish(),
  attachments: z.array(AttachmentSchema).nullish(),
})

export type MessengerMessage = z.output<typeof MessageSchema>

const ReferralSchema = z.looseObject({
  ref: z.string().nullish(),
  source: z.string().nullish(),
  type: z.string().nullish(),
})

export const PostbackSchema = z.looseObject({
  mid: z.string().nullish(),
  title: z.string().nullish(),
  payload: z.string().nullish(),
  referral: ReferralSchema.nullish(),
})

export type MessengerPostback = z.output<typeof PostbackSchema>

/** One item of `entry[].messaging`. */
export const EventSchema = z.looseObject({
  sender: Party,
  recipient: Party,
  timestamp: z.number().nullish(),
  message: MessageSchema.nullish(),
  postback: PostbackSchema.nullish(),
  delivery: z.looseObject({ mids: z.array(z.string()).nullish(), watermark: z.number() }).nullish(),
  read: z.looseObject({ watermark: z.number() }).nullish(),
  referral: ReferralSchema.nullish(),
})

export type MessengerEvent = z.output<typeof EventSchema>

export const EntrySchema = z.looseObject({
  /** The Page id. */
  id: Id,
  time: z.number().nullish(),
  /** Items are parsed one by one, so one odd event does not cost the others. */
  messaging: z.array(z.unknown()).nullish(),
  standby: z.array(z.unknown()).nullish(),
})

export const EnvelopeSchema = z.looseObject({
  object: z.string(),
  entry: z.array(z.unknown()),
})

/** The Send API's answer. */
export const SendAnswerSchema = z.looseObject({
  recipient_id: z.string().nullish(),
  message_id: z.string().min(1).nullish(),
})

/** The Graph API's error body. */
export const GraphErrorSchema = z.looseObject({
  error: z.looseObject({
    message: z.string().nullish(),
    type: z.string().nullish(),
    code: z.union([z.number(), z.string()]).nullish(),
    error_subcode: z.union([z.number(), z.string()]).nullish(),
    fbtrace_id: z.string().nullish(),
    is_transient: z.boolean().nullish(),
  }),
})

/** Describes zod issues as `field: problem; …` for a log line or a 400 answer. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join('.')
      return path === '' ? issue.message : `${path}: ${issue.message}`
    })
    .join('; ')
}
