/**
 * @module
 * What CXone posts to the middleware. None of these bodies is documented (the embedded BYOC
 * middleware spec could not be read), so every schema is loose: unknown fields pass through, a
 * field of an unexpected shape is dropped rather than refusing the message, and both are
 * reported so a CXone change shows in the log.
 */
import { z } from '@plugboard/sdk'

const text = z.string().optional().catch(undefined)
const id = z
  .union([z.string().min(1), z.number().transform(String)])
  .optional()
  .catch(undefined)

const Element = z.looseObject({ text, title: text, postback: text })

export const MessageContentSchema = z.looseObject({
  type: text,
  payload: z
    .looseObject({ text, elements: z.array(Element).optional().catch(undefined) })
    .optional()
    .catch(undefined),
  fallbackText: text,
})

export const AttachmentSchema = z.looseObject({
  url: z.string().min(1),
  friendlyName: text,
  mimeType: text,
})

const Person = z
  .looseObject({ firstName: text, lastName: text, nickname: text, name: text })
  .optional()
  .catch(undefined)

const Recipient = z.looseObject({ idOnExternalPlatform: id, name: text })

/** An agent or bot message: the reply endpoint's body, and the DFO 3.0 outbound body. */
export const AgentMessageSchema = z.looseObject({
  /** CXone's own id of the message, when sent: used to drop a repeated post. */
  id,
  idOnExternalPlatform: id,
  thread: z.looseObject({ idOnExternalPlatform: id }).optional().catch(undefined),
  messageContent: MessageContentSchema.optional().catch(undefined),
  attachments: z.array(AttachmentSchema).optional().catch(undefined),
  authorUser: Person,
  author: Person,
  recipients: z.array(Recipient).optional().catch(undefined),
  endUserRecipients: z.array(Recipient).optional().catch(undefined),
})

export type AgentMessage = z.output<typeof AgentMessageSchema>
export type MessageContent = z.output<typeof MessageContentSchema>
export type CxoneAttachment = z.output<typeof AttachmentSchema>

/** The token request: JSON or form fields. */
export const TokenRequestSchema = z.looseObject({
  grant_type: text,
  client_id: text,
  client_secret: text,
})

/** Fields CXone sent that the schema does not know, and known ones it sent in another shape. */
export function fieldReport(
  schema: z.ZodObject,
  raw: unknown,
  parsed: Record<string, unknown>,
): { unknown: string[]; changed: string[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { unknown: [], changed: [] }
  const known = new Set(Object.keys(schema.shape))
  const unknown: string[] = []
  const changed: string[] = []
  for (const [key, value] of Object.entries(raw)) {
    if (!known.has(key)) unknown.push(key)
    else if (value !== undefined && value !== null && parsed[key] === undefined) changed.push(key)
  }
  return { unknown, changed }
}
