/**
 * @module
 * Customer messages as they appear in `messages[]` of a webhook (Cloud API message object).
 */

export type MediaKind = 'image' | 'video' | 'audio' | 'document' | 'sticker'

export interface MediaContent {
  kind: MediaKind
  content: string | Uint8Array
  mimeType: string
  caption?: string
  /** Documents only. */
  filename?: string
  /** Audio only: a voice note recorded in WhatsApp. */
  voice?: boolean
}

/** What the customer sends; exactly one of the fields. */
export type InboundContent =
  | { text: string }
  | { media: MediaContent }
  | { location: { latitude: number; longitude: number; name?: string; address?: string } }
  /** Shared contact cards in WhatsApp's shape (`name.formatted_name`, `phones[]`, …). */
  | { contacts: Record<string, unknown>[] }
  /** A tap on a reply button (`list: true`: a list row) of an interactive message. */
  | { reply: { id: string; title: string; description?: string; list?: boolean } }
  /** A tap on a quick-reply button of a template. */
  | { button: { text: string; payload: string } }
  | { reaction: { messageId: string; emoji: string } }
  /** Anything else: `{type, [type]: …}` as WhatsApp sends it, e.g. `{type: 'unsupported'}`. */
  | { message: Record<string, unknown> }

export interface InboundInput {
  /** The customer's WhatsApp id: the number's digits, e.g. `4917612345678`. */
  from: string
  /** The customer's profile name; default `Test Customer`. */
  name?: string
  /** The business number written to; default the first channel's. */
  to?: string
  /** The message id; default a fresh `wamid.…`. */
  id?: string
  /** The message replied to. */
  context?: { from?: string; id: string }
}

/** The type and payload of a message; media arrive already stored, as `{id, mime_type, sha256}`. */
export function messagePayload(
  content: InboundContent,
  storeMedia: (media: MediaContent) => { id: string; sha256: string },
): Record<string, unknown> {
  if ('text' in content) return { type: 'text', text: { body: content.text } }
  if ('media' in content) {
    const m = content.media
    const { id, sha256 } = storeMedia(m)
    return {
      type: m.kind,
      [m.kind]: {
        ...(m.caption === undefined ? {} : { caption: m.caption }),
        ...(m.filename === undefined ? {} : { filename: m.filename }),
        mime_type: m.mimeType,
        sha256,
        id,
        ...(m.voice ? { voice: true } : {}),
      },
    }
  }
  if ('location' in content) return { type: 'location', location: { ...content.location } }
  if ('contacts' in content) return { type: 'contacts', contacts: content.contacts }
  if ('reply' in content) {
    const { id, title, description, list } = content.reply
    return list
      ? {
          type: 'interactive',
          interactive: {
            type: 'list_reply',
            list_reply: { id, title, ...(description ? { description } : {}) },
          },
        }
      : { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id, title } } }
  }
  if ('button' in content) return { type: 'button', button: { ...content.button } }
  if ('reaction' in content) {
    return {
      type: 'reaction',
      reaction: { message_id: content.reaction.messageId, emoji: content.reaction.emoji },
    }
  }
  return { ...content.message }
}
