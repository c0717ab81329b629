/**
 * @module
 * The parts of 360dialog's webhooks and answers the plugin reads (specs/providers.md §2). Meta adds
 * fields without notice, so every schema keeps unknown ones.
 */
import { z } from '@plugboard/sdk'

const text = z.string().optional()
const code = z.union([z.number(), z.string()]).optional()

/** An error as webhooks carry it: in a failed status, a message or the change itself. */
export const WaErrorSchema = z.looseObject({
  code,
  title: text,
  message: text,
  details: text,
  error_data: z.looseObject({ details: text }).optional(),
})
export type WaError = z.output<typeof WaErrorSchema>

export const WaMediaSchema = z.looseObject({
  id: text,
  mime_type: text,
  sha256: text,
  caption: text,
  filename: text,
  /** Some gateways send a URL instead of (or next to) an id. */
  link: text,
  url: text,
  voice: z.boolean().optional(),
})
export type WaMedia = z.output<typeof WaMediaSchema>

export const WaContactCardSchema = z.looseObject({
  name: z
    .looseObject({
      formatted_name: text,
      first_name: text,
      last_name: text,
      middle_name: text,
      prefix: text,
      suffix: text,
    })
    .optional(),
  phones: z.array(z.looseObject({ phone: text, type: text, wa_id: text })).optional(),
  emails: z.array(z.record(z.string(), z.unknown())).optional(),
  addresses: z.array(z.record(z.string(), z.unknown())).optional(),
  urls: z.array(z.record(z.string(), z.unknown())).optional(),
  org: z.record(z.string(), z.unknown()).optional(),
  birthday: text,
})
export type WaContactCard = z.output<typeof WaContactCardSchema>

const coordinate = (limit: number) =>
  z.coerce
    .number()
    .refine(
      (n) => Number.isFinite(n) && Math.abs(n) <= limit,
      `must be between -${limit} and ${limit}`,
    )

/** One customer message of `messages[]`, Cloud API or On-Premise. */
export const WaMessageSchema = z.looseObject({
  from: z.string().min(1, 'from is required'),
  id: z.string().min(1, 'id is required'),
  timestamp: z.union([z.string(), z.number()]).optional(),
  type: z.string().optional(),
  text: z.looseObject({ body: z.string() }).optional(),
  image: WaMediaSchema.optional(),
  video: WaMediaSchema.optional(),
  audio: WaMediaSchema.optional(),
  voice: WaMediaSchema.optional(),
  document: WaMediaSchema.optional(),
  sticker: WaMediaSchema.optional(),
  location: z
    .looseObject({
      latitude: coordinate(90),
      longitude: coordinate(180),
      name: text,
      address: text,
      url: text,
    })
    .optional(),
  contacts: z.array(WaContactCardSchema).optional(),
  interactive: z
    .looseObject({
      type: text,
      button_reply: z.looseObject({ id: text, title: text }).optional(),
      list_reply: z.looseObject({ id: text, title: text, description: text }).optional(),
    })
    .optional(),
  button: z.looseObject({ text: text, payload: text }).optional(),
  reaction: z.looseObject({ message_id: text, emoji: text }).optional(),
  context: z.looseObject({ from: text, id: text }).optional(),
  errors: z.array(WaErrorSchema).optional(),
})
export type WaMessage = z.output<typeof WaMessageSchema>

/** One entry of `statuses[]`: what happened to a message the connector sent. */
export const WaStatusSchema = z.looseObject({
  id: z.string().min(1, 'id is required'),
  status: z.string().min(1, 'status is required'),
  timestamp: z.union([z.string(), z.number()]).optional(),
  recipient_id: text,
  errors: z.array(WaErrorSchema).optional(),
})
export type WaStatus = z.output<typeof WaStatusSchema>

const WaProfileSchema = z.looseObject({
  profile: z.looseObject({ name: text }).optional(),
  wa_id: text,
})

/** The `value` of a Cloud API change, which is also the whole On-Premise webhook body. */
const WaValueSchema = z.looseObject({
  messaging_product: text,
  metadata: z.looseObject({ display_phone_number: text, phone_number_id: text }).optional(),
  contacts: z.array(WaProfileSchema).optional(),
  // Items are checked one by one, so a malformed one cannot hold back the rest of a batch.
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
  errors: z.array(z.unknown()).optional(),
})

const WaEnvelopeSchema = z.looseObject({
  object: text,
  entry: z.array(
    z.looseObject({
      id: text,
      changes: z.array(z.looseObject({ field: text, value: z.unknown() })).optional(),
    }),
  ),
})

/** The events of one webhook, whichever shape it came in. */
export interface WebhookBatch {
  shape: 'cloud' | 'on-premise'
  values: WebhookValue[]
  /** Changes that are not about messages (e.g. template status updates), by field name. */
  otherFields: string[]
}

export interface WebhookValue {
  /** The business number the events are for; absent in the On-Premise shape. */
  displayPhoneNumber: string | undefined
  phoneNumberId: string | undefined
  /** Profile names by WhatsApp id. */
  names: Map<string, string>
  messages: unknown[]
  statuses: unknown[]
  errors: unknown[]
}

export type ParsedWebhook = { ok: true; batch: WebhookBatch } | { ok: false; problem: string }

/**
 * Reads a webhook body in the Cloud API shape (`entry[].changes[].value`) or the On-Premise one
 * (`messages[]`/`statuses[]` at the top). Individual messages and statuses stay unparsed.
 */
export function parseWebhook(data: unknown): ParsedWebhook {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, problem: 'the body is not a JSON object' }
  }
  if ('entry' in data) {
    const envelope = WaEnvelopeSchema.safeParse(data)
    if (!envelope.success) return { ok: false, problem: describeIssues(envelope.error) }
    const values: WebhookValue[] = []
    const otherFields: string[] = []
    for (const entry of envelope.data.entry) {
      for (const change of entry.changes ?? []) {
        if (change.field !== undefined && change.field !== 'messages') {
          otherFields.push(change.field)
          continue
        }
        const value = WaValueSchema.safeParse(change.value)
        if (!value.success) return { ok: false, problem: describeIssues(value.error) }
        values.push(toValue(value.data))
      }
    }
    return { ok: true, batch: { shape: 'cloud', values, otherFields } }
  }
  const value = WaValueSchema.safeParse(data)
  if (!value.success) return { ok: false, problem: describeIssues(value.error) }
  return {
    ok: true,
    batch: { shape: 'on-premise', values: [toValue(value.data)], otherFields: [] },
  }
}

function toValue(value: z.output<typeof WaValueSchema>): WebhookValue {
  const names = new Map<string, string>()
  for (const contact of value.contacts ?? []) {
    const name = contact.profile?.name
    if (contact.wa_id && name) names.set(contact.wa_id, name)
  }
  return {
    displayPhoneNumber: value.metadata?.display_phone_number,
    phoneNumberId: value.metadata?.phone_number_id,
    names,
    messages: value.messages ?? [],
    statuses: value.statuses ?? [],
    errors: value.errors ?? [],
  }
}

/** The answer to an accepted send. */
export const SendAnswerSchema = z.looseObject({
  messages: z.array(z.looseObject({ id: z.string().min(1), message_status: text })).min(1),
  contacts: z.array(z.looseObject({ input: text, wa_id: text })).optional(),
})

/** The answer to a media id lookup (Cloud API). */
export const MediaInfoSchema = z.looseObject({
  url: z.string().min(1),
  mime_type: text,
  file_size: z.union([z.number(), z.string()]).optional(),
})

/**
 * Error bodies: Meta's Graph error, 360dialog's own `{error: "…"}`, and the On-Premise
 * `{errors: [{code, title, details}]}`.
 */
export const ErrorBodySchema = z.looseObject({
  error: z
    .union([
      z.string(),
      z.looseObject({
        message: text,
        type: text,
        code,
        error_subcode: code,
        error_user_msg: text,
        error_data: z.looseObject({ details: text }).optional(),
        fbtrace_id: text,
      }),
    ])
    .optional(),
  errors: z.array(WaErrorSchema).optional(),
  meta: z.looseObject({ developer_message: text }).optional(),
})

/** Describes zod issues as `field: problem; …` for a 400 answer or a log line. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join('.')
      return path === '' ? issue.message : `${path}: ${issue.message}`
    })
    .join('; ')
}
