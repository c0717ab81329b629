/**
 * @module
 * How an outbound CIM message becomes a Cloud API message body (without `messaging_product` and
 * `to`). Types WhatsApp cannot carry are rendered as text and say so in `degraded`; a message with
 * nothing to send is refused as terminal, so CCM hears it failed instead of it vanishing.
 */
import {
  type CimBody,
  type CimMessage,
  type ContactBody,
  isBodyType,
  MEDIA_BODY_TYPES,
  type MediaBody,
  PluginError,
} from '@plugboard/sdk'
import { planInteractive } from './interactive.js'
import { carouselText, chars, contactsText, nonEmpty } from './render.js'
import { templateContent } from './template.js'

/** A Cloud API message body without the addressing: `{type, [type]: {...}, context?}`. */
export type WaContent = { type: string } & Record<string, unknown>

export type OutboundPlan =
  | {
      content: WaContent
      /** Set when part or all of the body was rendered as text or left out. */
      degraded?: string
    }
  /** A `DELIVERYNOTIFICATION` READ from CCM: mark the customer's message read in WhatsApp. */
  | { markRead: { messageId: string; providerMessageId: string | undefined } }
  | { ignored: string }

export interface PlanOptions {
  /** Rewrites an attachment URL to one 360dialog can fetch (the file engine's public URL). */
  publicMediaUrl(url: string): string
}

const MAX_TEXT = 4096
const MEDIA_TYPES: ReadonlySet<string> = new Set(MEDIA_BODY_TYPES)
// Not customer content: typing indicators, session events, agent-side records.
const NOT_FOR_THE_CUSTOMER: ReadonlySet<string> = new Set([
  'NOTIFICATION',
  'DELETEDNOTIFICATION',
  'ACTION',
  'WRAPUP',
  'VOICE',
])

export function planOutbound(message: CimMessage, options: PlanOptions): OutboundPlan {
  const { body } = message
  const markdownText = nonEmpty(body.markdownText)
  const withContext = (plan: OutboundPlan) => addContext(plan, message)

  if (NOT_FOR_THE_CUSTOMER.has(body.type)) {
    const detail = isBodyType(body, 'NOTIFICATION') ? ` ${body.notificationType}` : ''
    return { ignored: `${body.type}${detail} is not customer content; 360dialog is not called` }
  }
  if (isBodyType(body, 'DELIVERYNOTIFICATION')) {
    if (body.status !== 'READ') {
      return { ignored: `DELIVERYNOTIFICATION ${body.status} has no WhatsApp counterpart` }
    }
    const pid = message.header.providerMessageId
    return {
      markRead: {
        messageId: body.messageId,
        providerMessageId: pid?.startsWith('wamid.') ? pid : undefined,
      },
    }
  }
  if (isBodyType(body, 'PLAIN')) return withContext(textPlan(required(markdownText, message)))
  if (isMediaBody(body)) return withContext(mediaPlan(body, markdownText, options))
  if (isBodyType(body, 'STICKER') && nonEmpty(body.mediaUrl)) {
    return withContext({
      content: { type: 'sticker', sticker: { link: options.publicMediaUrl(body.mediaUrl!) } },
    })
  }
  if (isBodyType(body, 'LOCATION')) {
    const { latitude, longitude } = body.location
    const name = nonEmpty(body.additionalDetails?.name) ?? markdownText
    const address = nonEmpty(body.additionalDetails?.address)
    return withContext({
      content: {
        type: 'location',
        location: {
          latitude,
          longitude,
          ...(name ? { name } : {}),
          ...(address ? { address } : {}),
        },
      },
    })
  }
  if (isBodyType(body, 'CONTACT')) return withContext(contactPlan(body, markdownText, message))
  if (isBodyType(body, 'BUTTON')) {
    const plan = planInteractive(body, markdownText)
    if ('empty' in plan) return withContext(textPlan(required(undefined, message)))
    if ('text' in plan) return withContext({ ...textPlan(plan.text), degraded: plan.degraded })
    return withContext({
      content: { type: 'interactive', interactive: plan.interactive },
      ...(plan.degraded ? { degraded: plan.degraded } : {}),
    })
  }
  if (isBodyType(body, 'TEMPLATE')) {
    return { content: { type: 'template', template: templateContent(body, message) } }
  }
  if (isBodyType(body, 'URL')) {
    const text = [markdownText, nonEmpty(body.mediaUrl)].filter(Boolean).join('\n')
    return withContext(textPlan(required(text, message), true))
  }
  if (isBodyType(body, 'CAROUSEL')) {
    return withContext({
      ...textPlan(required(carouselText(markdownText, body.elements), message)),
      degraded: 'CAROUSEL sent as text',
    })
  }
  return withContext({
    ...textPlan(required(markdownText, message)),
    degraded: `${body.type} has no WhatsApp counterpart; sent its text`,
  })
}

function textPlan(
  text: string,
  preview = /https?:\/\//.test(text),
): OutboundPlan & { content: WaContent } {
  if (chars(text) > MAX_TEXT) {
    throw PluginError.terminal(
      'TEXT_TOO_LONG',
      `the text has ${chars(text)} characters; WhatsApp takes at most ${MAX_TEXT}. Shorten it or split it into several messages`,
    )
  }
  return { content: { type: 'text', text: { body: text, preview_url: preview } } }
}

function mediaPlan(
  body: MediaBody,
  markdownText: string | undefined,
  options: PlanOptions,
): OutboundPlan {
  const kind = mediaKind(body)
  const caption = nonEmpty(body.caption) ?? markdownText
  const media: Record<string, unknown> = { link: options.publicMediaUrl(body.attachment.mediaUrl) }
  let degraded: string | undefined
  if (caption !== undefined && kind !== 'audio') media.caption = caption
  if (caption !== undefined && kind === 'audio') {
    degraded = 'AUDIO caption left out: WhatsApp audio messages have no caption'
  }
  if (kind === 'document') {
    const fileName =
      nonEmpty(body.additionalDetails?.fileName) ?? nonEmpty(body.attachment.mediaName)
    if (fileName) media.filename = fileName
  }
  return { content: { type: kind, [kind]: media }, ...(degraded ? { degraded } : {}) }
}

const MEDIA_KIND: Record<string, string> = {
  IMAGE: 'image',
  VIDEO: 'video',
  AUDIO: 'audio',
  FILE: 'document',
}

// MULTIMEDIA says nothing about the kind; the MIME type does.
function mediaKind(body: MediaBody): string {
  const fixed = MEDIA_KIND[body.type]
  if (fixed) return fixed
  const major = body.attachment.mimeType?.split('/', 1)[0]?.trim().toLowerCase()
  return major === 'image' || major === 'video' || major === 'audio' ? major : 'document'
}

function contactPlan(
  body: ContactBody,
  markdownText: string | undefined,
  message: CimMessage,
): OutboundPlan {
  const cards = body.contacts.flatMap((c) => {
    const nameDetails = c.name?.additionalNameDetails ?? {}
    const phones = (c.phones ?? []).flatMap((p) =>
      nonEmpty(p.phone) ? [{ ...(p.additionalPhoneDetails ?? {}), phone: p.phone }] : [],
    )
    const formatted =
      nonEmpty(c.name?.formattedName) ??
      ([nameDetails.first_name, nameDetails.last_name].filter((v) => nonEmpty(v)).join(' ') ||
        phones[0]?.phone)
    if (!formatted) return []
    const hasNamePart = ['first_name', 'last_name', 'middle_name', 'prefix', 'suffix'].some((k) =>
      nonEmpty(nameDetails[k]),
    )
    return [
      {
        ...(c.additionalContactDetails ?? {}),
        // WhatsApp wants one name part besides the formatted name.
        name: {
          ...nameDetails,
          formatted_name: formatted,
          ...(hasNamePart ? {} : { first_name: formatted }),
        },
        ...(phones.length > 0 ? { phones } : {}),
      },
    ]
  })
  if (cards.length === 0) {
    const text = [markdownText, contactsText(body.contacts)].filter(Boolean).join('\n\n')
    return { ...textPlan(required(text, message)), degraded: 'CONTACT without a name sent as text' }
  }
  return {
    content: { type: 'contacts', contacts: cards },
    ...(markdownText
      ? { degraded: 'CONTACT text left out: WhatsApp contact messages have none' }
      : {}),
  }
}

// An agent's reply to a particular customer message quotes it in WhatsApp.
function addContext(plan: OutboundPlan, message: CimMessage): OutboundPlan {
  if (!('content' in plan) || message.header.intent !== 'REPLY_TO') return plan
  const pid = message.header.providerMessageId
  if (!pid?.startsWith('wamid.')) return plan
  return { ...plan, content: { ...plan.content, context: { message_id: pid } } }
}

function isMediaBody(body: CimBody): body is MediaBody {
  return MEDIA_TYPES.has(body.type)
}

function required(text: string | undefined, message: CimMessage): string {
  if (text !== undefined && text !== '') return text
  throw PluginError.terminal(
    'EMPTY_MESSAGE',
    `message ${message.id} (${message.body.type}) has no text or media to send to WhatsApp`,
  )
}
