/**
 * @module
 * Customer messages of a webhook as CIM bodies. What CIM has no type for (reactions, orders,
 * unsupported messages) becomes readable text, and the caller logs that it degraded it.
 */
import type { ChannelAttribute, CimBody, Contact, MediaBodyType } from '@plugboard/sdk'
import { fileNameFor, type InboundMedia, type ResolvedMedia } from './media.js'
import type { WaContactCard, WaMedia, WaMessage } from './payloads.js'

const MEDIA_KINDS = ['image', 'video', 'audio', 'voice', 'document', 'sticker'] as const
type MediaKind = (typeof MEDIA_KINDS)[number]

const BODY_TYPE: Record<Exclude<MediaKind, 'sticker'>, Exclude<MediaBodyType, 'MULTIMEDIA'>> = {
  image: 'IMAGE',
  video: 'VIDEO',
  audio: 'AUDIO',
  voice: 'AUDIO',
  document: 'FILE',
}

/** The medium a message carries, if it is a media message. */
export function mediaOf(
  m: WaMessage,
): { kind: MediaKind; media: InboundMedia; caption?: string } | undefined {
  const kind =
    MEDIA_KINDS.find((k) => m.type === k && m[k] !== undefined) ??
    (m.type === undefined ? MEDIA_KINDS.find((k) => m[k] !== undefined) : undefined)
  if (kind === undefined) return undefined
  const given = m[kind] as WaMedia
  const mimeType = given.mime_type?.split(';', 1)[0]?.trim() || defaultMime(kind)
  const media: InboundMedia = {
    id: given.id,
    link: given.link ?? given.url,
    mimeType,
    fileName: fileNameFor(given.id, mimeType, given.filename),
  }
  return { kind, media, ...(given.caption ? { caption: given.caption } : {}) }
}

function defaultMime(kind: MediaKind): string {
  if (kind === 'image') return 'image/jpeg'
  if (kind === 'sticker') return 'image/webp'
  if (kind === 'video') return 'video/mp4'
  if (kind === 'audio' || kind === 'voice') return 'audio/ogg'
  return 'application/octet-stream'
}

export interface InboundContent {
  body: CimBody
  /** WhatsApp extras CCM has no field for. */
  attributes: ChannelAttribute[]
  /** Set when the message was rendered as text because CIM cannot carry its type. */
  degraded?: string
}

/** The CIM body of one customer message; `media` is its medium, already resolved. */
export function inboundContent(m: WaMessage, media?: ResolvedMedia): InboundContent {
  const attributes: ChannelAttribute[] = []
  if (m.context?.id) {
    attributes.push({ key: 'ContextMessageId', type: 'String2000', value: m.context.id })
  }
  const type = m.type ?? guessType(m)
  const found = mediaOf(m)
  if (found && media) {
    const caption = found.caption ?? null
    if (found.kind === 'sticker') {
      return {
        body: {
          type: 'STICKER',
          markdownText: null,
          mediaUrl: media.mediaUrl,
          stickerId: found.media.id ?? null,
        },
        attributes,
      }
    }
    const bodyType = BODY_TYPE[found.kind]
    return {
      body: {
        type: bodyType,
        markdownText: caption,
        caption,
        attachment: {
          mediaUrl: media.mediaUrl,
          mimeType: media.mimeType,
          mediaName: media.fileName,
          thumbnail: null,
          ...(media.size === undefined ? {} : { size: media.size }),
        },
        additionalDetails: bodyType === 'FILE' ? { fileName: media.fileName } : null,
      },
      attributes,
    }
  }
  if (type === 'text' && m.text) return { body: plain(m.text.body), attributes }
  if (type === 'location' && m.location) {
    const { latitude, longitude, name, address, url } = m.location
    const details: Record<string, unknown> = {}
    if (name) details.name = name
    if (address) details.address = address
    if (url) details.url = url
    return {
      body: {
        type: 'LOCATION',
        markdownText: null,
        location: { latitude, longitude },
        additionalDetails: Object.keys(details).length > 0 ? details : null,
      },
      attributes,
    }
  }
  if (type === 'contacts' && m.contacts && m.contacts.length > 0) {
    return {
      body: { type: 'CONTACT', markdownText: null, contacts: m.contacts.map(toCimContact) },
      attributes,
    }
  }
  if (type === 'interactive' && m.interactive) {
    const reply = m.interactive.button_reply ?? m.interactive.list_reply
    if (reply) {
      if (reply.id) attributes.push({ key: 'ButtonPayload', type: 'String2000', value: reply.id })
      return { body: plain(reply.title || reply.id || ''), attributes }
    }
    return {
      body: plain(
        m.interactive.type
          ? `[interactive ${m.interactive.type} message]`
          : '[interactive message]',
      ),
      attributes,
      degraded: `interactive ${m.interactive.type ?? 'message'} has no CIM type; sent as text`,
    }
  }
  if (type === 'button' && m.button) {
    if (m.button.payload) {
      attributes.push({ key: 'ButtonPayload', type: 'String2000', value: m.button.payload })
    }
    return { body: plain(m.button.text || m.button.payload || ''), attributes }
  }
  if (type === 'reaction' && m.reaction) {
    if (m.reaction.message_id) {
      attributes.push({
        key: 'ReactionToMessageId',
        type: 'String2000',
        value: m.reaction.message_id,
      })
    }
    const emoji = m.reaction.emoji
    return {
      body: plain(emoji ? `[reaction ${emoji}]` : '[reaction removed]'),
      attributes,
      degraded: 'reaction has no CIM type; sent as text',
    }
  }
  // Unsupported, order, system and future types: the agent still sees that something arrived.
  const problem = m.errors?.[0]?.title ?? m.errors?.[0]?.message
  return {
    body: plain(`[${type} message]${problem ? ` ${problem}` : ''}`),
    attributes,
    degraded: `WhatsApp message type "${type}" has no CIM mapping; sent as text`,
  }
}

function guessType(m: WaMessage): string {
  if (m.text) return 'text'
  if (m.location) return 'location'
  if (m.contacts) return 'contacts'
  if (m.interactive) return 'interactive'
  if (m.button) return 'button'
  if (m.reaction) return 'reaction'
  return 'unknown'
}

function plain(markdownText: string): CimBody {
  return { type: 'PLAIN', markdownText }
}

/** A shared contact card as CIM's `Contact`, keeping WhatsApp's extra fields in the details. */
export function toCimContact(card: WaContactCard): Contact {
  const { formatted_name, ...nameDetails } = card.name ?? {}
  const { name: _name, phones, ...rest } = card
  const formattedName =
    formatted_name ||
    [nameDetails.first_name, nameDetails.last_name].filter(Boolean).join(' ') ||
    null
  return {
    name: {
      formattedName,
      additionalNameDetails: Object.keys(nameDetails).length > 0 ? nameDetails : null,
    },
    phones: (phones ?? []).map(({ phone, ...details }) => ({
      phone: phone ?? null,
      additionalPhoneDetails: Object.keys(details).length > 0 ? details : null,
    })),
    additionalContactDetails: Object.keys(rest).length > 0 ? rest : null,
  }
}
