/**
 * @module
 * Customer messages and postbacks as CIM messages. Pure: attachments arrive already resolved
 * (copied to the file engine or not) in the order of `mediaOf`.
 */
import {
  type ChannelAttribute,
  type CimBody,
  type CimMessage,
  inboundMessage,
  text,
} from '@plugboard/sdk'
import type { IncomingMedia, ResolvedMedia } from './media.js'
import type { MessengerAttachment, MessengerMessage, MessengerPostback } from './payloads.js'

const MEDIA_TYPES: Readonly<Record<string, 'IMAGE' | 'VIDEO' | 'AUDIO' | 'FILE'>> = {
  image: 'IMAGE',
  video: 'VIDEO',
  audio: 'AUDIO',
  file: 'FILE',
}
const CIM_MEDIA: ReadonlySet<string> = new Set(Object.values(MEDIA_TYPES))

/** Who wrote to which page, and when. */
export interface EventParties {
  pageId: string
  psid: string
  /** Meta's epoch milliseconds of the event. */
  timestamp: number | undefined
}

/** A CIM message with the provider id the host de-duplicates it by. */
export interface InboundItem {
  message: CimMessage
  providerMessageId: string
}

/** True for an attachment that is a file to copy (not a sticker, link or location). */
function isMedia(attachment: MessengerAttachment): boolean {
  return (
    Object.hasOwn(MEDIA_TYPES, attachment.type) &&
    Boolean(attachment.payload?.url) &&
    attachment.payload?.sticker_id == null
  )
}

/** The attachments of a message that are media, in order, to be resolved before `messageItems`. */
export function mediaOf(message: MessengerMessage): IncomingMedia[] {
  return (message.attachments ?? []).filter(isMedia).map((a, i) => ({
    type: a.type,
    url: a.payload!.url!,
    fallbackName: `${message.mid.replace(/^m_/, '').slice(0, 40)}-${i}`,
  }))
}

/**
 * The CIM bodies of a message: one per attachment (CIM carries one attachment per message), the
 * text riding as the caption of the first medium or as its own first message; otherwise the text.
 */
export function messageBodies(
  message: MessengerMessage,
  media: readonly ResolvedMedia[],
): CimBody[] {
  const textPart = message.text ?? ''
  const attachments = message.attachments ?? []
  if (attachments.length === 0) return [text(textPart)]
  const bodies: CimBody[] = []
  let next = 0
  for (const attachment of attachments) {
    if (isMedia(attachment)) {
      const resolved = media[next++]
      if (resolved) bodies.push(mediaBody(attachment.type, resolved))
      else bodies.push(text(`[${attachment.type}] ${attachment.payload?.url ?? ''}`.trim()))
    } else {
      bodies.push(otherAttachmentBody(attachment))
    }
  }
  if (textPart === '') return bodies
  const first = bodies[0]
  if (first && CIM_MEDIA.has(first.type)) {
    bodies[0] = { ...first, caption: textPart, markdownText: textPart }
    return bodies
  }
  // A shared link comes as its URL in the text plus a fallback attachment: one message.
  const plain = bodies.findIndex((b) => b.type === 'PLAIN')
  if (plain !== -1) {
    const current = bodies[plain]!.markdownText
    const extra = (typeof current === 'string' ? current : '')
      .split('\n')
      .filter((line) => line !== '' && !textPart.includes(line))
    bodies[plain] = text([textPart, ...extra].join('\n'))
    if (plain !== 0) bodies.unshift(...bodies.splice(plain, 1))
    return bodies
  }
  bodies.unshift(text(textPart))
  return bodies
}

function mediaBody(type: string, m: ResolvedMedia): CimBody {
  const cimType = MEDIA_TYPES[type] ?? 'FILE'
  return {
    type: cimType,
    markdownText: null,
    caption: null,
    attachment: {
      mediaUrl: m.mediaUrl,
      mimeType: m.mimeType,
      mediaName: m.fileName,
      thumbnail: null,
      ...(m.size === undefined ? {} : { size: m.size }),
    },
    additionalDetails: cimType === 'FILE' ? { fileName: m.fileName } : null,
  }
}

/** Stickers, locations, shared links and posts: what CIM has a body for, else readable text. */
function otherAttachmentBody(a: MessengerAttachment): CimBody {
  const url = a.payload?.url ?? a.URL ?? a.url ?? null
  const title = a.payload?.title ?? a.title ?? null
  if (a.payload?.sticker_id != null) {
    return {
      type: 'STICKER',
      markdownText: null,
      mediaUrl: url,
      stickerId: String(a.payload.sticker_id),
      additionalDetails: null,
    }
  }
  const coordinates = a.payload?.coordinates
  if (a.type === 'location' && coordinates) {
    const details: Record<string, unknown> = {}
    if (title) details.name = title
    if (url) details.url = url
    return {
      type: 'LOCATION',
      markdownText: null,
      location: { latitude: coordinates.lat, longitude: coordinates.long },
      additionalDetails: Object.keys(details).length > 0 ? details : null,
    }
  }
  // A shared link, post or reel: the agent gets its title and link.
  const lines = [a.type === 'fallback' ? undefined : `[${a.type}]`, title, url].filter(
    (line): line is string => typeof line === 'string' && line !== '',
  )
  return text(lines.length > 0 ? lines.join('\n') : `[${a.type} attachment]`)
}

/** Messenger extras CCM has no field for, as channel attributes. */
export function messageAttributes(message: MessengerMessage): ChannelAttribute[] {
  const attributes: ChannelAttribute[] = []
  const payload = message.quick_reply?.payload
  if (payload) attributes.push({ key: 'ButtonPayload', type: 'String2000', value: payload })
  const replyTo = message.reply_to?.mid
  if (replyTo) attributes.push({ key: 'ReplyToMessageId', type: 'String100', value: replyTo })
  return attributes
}

/**
 * The CIM messages for a customer message, each with the id it is de-duplicated by: the `mid`,
 * suffixed `#n` for the second and later of one message.
 */
export function messageItems(
  message: MessengerMessage,
  media: readonly ResolvedMedia[],
  parties: EventParties,
  connectorId: string,
): InboundItem[] {
  const additionalAttributes = messageAttributes(message)
  return messageBodies(message, media).map((body, i) => {
    const providerMessageId = i === 0 ? message.mid : `${message.mid}#${i}`
    return {
      providerMessageId,
      message: inboundMessage({
        serviceIdentifier: parties.pageId,
        customerId: parties.psid,
        body,
        providerMessageId,
        additionalAttributes,
        connectorId,
        ...(parties.timestamp === undefined ? {} : { timestamp: parties.timestamp }),
      }),
    }
  })
}

/**
 * A postback (a tapped button of a template, the Get Started button, a persistent menu item) as
 * the button's title in a PLAIN message, its payload in the `ButtonPayload` attribute.
 */
export function postbackItem(
  postback: MessengerPostback,
  parties: EventParties,
  connectorId: string,
): InboundItem {
  // Older postbacks have no mid; sender and time identify a tap as well.
  const providerMessageId = postback.mid || `postback:${parties.psid}:${parties.timestamp ?? ''}`
  const attributes: ChannelAttribute[] = []
  if (postback.payload) {
    attributes.push({ key: 'ButtonPayload', type: 'String2000', value: postback.payload })
  }
  if (postback.referral?.ref) {
    attributes.push({ key: 'Referral', type: 'String2000', value: postback.referral.ref })
  }
  return {
    providerMessageId,
    message: inboundMessage({
      serviceIdentifier: parties.pageId,
      customerId: parties.psid,
      body: text(postback.title || postback.payload || ''),
      providerMessageId,
      additionalAttributes: attributes,
      connectorId,
      ...(parties.timestamp === undefined ? {} : { timestamp: parties.timestamp }),
    }),
  }
}
