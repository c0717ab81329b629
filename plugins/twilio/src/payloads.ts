/**
 * @module
 * The form parameters of Twilio's webhooks that the plugin reads. Twilio adds parameters without
 * notice, so every schema keeps unknown ones.
 */
import { z } from '@plugboard/sdk'

const text = z.string().optional()
const blankToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value
const coordinate = (limit: number) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .regex(/^[-+]?\d+(\.\d+)?$/, 'expected a decimal number')
      .transform(Number)
      .refine((n) => Math.abs(n) <= limit, `must be between -${limit} and ${limit}`)
      .optional(),
  )

// Older webhooks name the id SmsSid or SmsMessageSid; all three carry the same value.
const withMessageSid = (fields: unknown) => {
  if (typeof fields !== 'object' || fields === null) return fields
  const f = fields as Record<string, unknown>
  return { ...f, MessageSid: f.MessageSid ?? f.SmsMessageSid ?? f.SmsSid }
}

/** An incoming SMS, MMS or WhatsApp message ("A message comes in" webhook). */
export const InboundMessageSchema = z.preprocess(
  withMessageSid,
  z.looseObject({
    MessageSid: z.string().min(1, 'MessageSid is required'),
    AccountSid: text,
    MessagingServiceSid: text,
    From: z.string().min(1, 'From is required'),
    To: z.string().min(1, 'To is required'),
    Body: text,
    NumMedia: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(10).optional()),
    /** WhatsApp: the sender's profile name. */
    ProfileName: text,
    /** WhatsApp: the sender's number, digits only. */
    WaId: text,
    /** WhatsApp: text, image, …, button, interactive, location. */
    MessageType: text,
    Latitude: coordinate(90),
    Longitude: coordinate(180),
    Address: text,
    Label: text,
    ButtonText: text,
    ButtonPayload: text,
    OriginalRepliedMessageSid: text,
  }),
)

export type InboundMessageParams = z.output<typeof InboundMessageSchema>

/** A status callback for a message the connector sent. */
export const StatusCallbackSchema = z.preprocess(
  (fields) => {
    const withSid = withMessageSid(fields)
    if (typeof withSid !== 'object' || withSid === null) return withSid
    const f = withSid as Record<string, unknown>
    return { ...f, MessageStatus: f.MessageStatus ?? f.SmsStatus }
  },
  z.looseObject({
    MessageSid: z.string().min(1, 'MessageSid is required'),
    MessageStatus: z.string().min(1, 'MessageStatus is required'),
    ErrorCode: text,
    ErrorMessage: text,
    ChannelStatusMessage: text,
    From: text,
    To: text,
  }),
)

export type StatusCallbackParams = z.output<typeof StatusCallbackSchema>

/** The parts of Twilio's Message resource (the 201 answer) the plugin reads. */
export const MessageResourceSchema = z.looseObject({
  sid: z.string().min(1),
  status: z.string().optional(),
})

/** Twilio's REST error body (twilio-node `RestException`). */
export const RestErrorSchema = z.looseObject({
  code: z.union([z.number(), z.string()]).optional(),
  message: z.string().optional(),
  more_info: z.string().optional(),
  status: z.number().optional(),
})

/** Describes zod issues as `field: problem; …` for a 400 answer. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join('.')
      return path === '' ? issue.message : `${path}: ${issue.message}`
    })
    .join('; ')
}
