import {
  type CimBody,
  type CimMessage,
  isBodyType,
  type MediaBody,
  PluginError,
} from '@plugboard/sdk'
import { type GraphMessage, planButtons, planCarousel } from './buttons.js'
import { contactsText, join, locationText, nonEmpty, numberedOptions, splitText } from './render.js'

export type SenderAction = 'typing_on' | 'typing_off' | 'mark_seen'

/**
 * How an outbound CIM message goes out through the Send API: messages in order (a caption
 * travels after its attachment, a long text in pieces), a sender action, or nothing at all.
 */
export type OutboundPlan =
  | {
      kind: 'messages'
      parts: GraphMessage[]
      /** Set when the body was not sent in its own form; logged as a warning. */
      degraded?: string
    }
  | { kind: 'action'; action: SenderAction }
  | { ignored: string }

export interface PlanOptions {
  /** Rewrites an attachment URL to one Meta can fetch (the file engine's public URL). */
  publicMediaUrl(url: string): string
}

const MEDIA_TYPES: Readonly<Record<string, string>> = {
  IMAGE: 'image',
  VIDEO: 'video',
  AUDIO: 'audio',
  FILE: 'file',
}
// Not customer content: session events, agent-side records.
const NOT_FOR_THE_CUSTOMER: ReadonlySet<string> = new Set([
  'DELETEDNOTIFICATION',
  'ACTION',
  'WRAPUP',
  'VOICE',
])

/**
 * The plan for a message. Types Messenger cannot carry are rendered as text and say so in
 * `degraded`; a message with nothing to send is refused as terminal, so CCM hears it failed
 * instead of it vanishing.
 */
export function planOutbound(message: CimMessage, options: PlanOptions): OutboundPlan {
  const { body } = message
  const markdownText = nonEmpty(body.markdownText)
  const texts = (text: string | undefined): GraphMessage[] =>
    text === undefined ? [] : splitText(text).map((piece) => ({ text: piece }))
  const messages = (parts: GraphMessage[], degraded?: string): OutboundPlan => {
    if (parts.length === 0) {
      throw PluginError.terminal(
        'EMPTY_MESSAGE',
        `message ${message.id} (${body.type}) has no text or media to send to Messenger`,
        { providerCode: '100' },
      )
    }
    return { kind: 'messages', parts, ...(degraded ? { degraded } : {}) }
  }

  if (isBodyType(body, 'NOTIFICATION')) {
    if (body.notificationType === 'TYPING_STARTED') return { kind: 'action', action: 'typing_on' }
    if (body.notificationType === 'TYPING_STOPPED') return { kind: 'action', action: 'typing_off' }
    return {
      ignored: `NOTIFICATION ${body.notificationType} is not customer content; Messenger is not called`,
    }
  }
  if (isBodyType(body, 'DELIVERYNOTIFICATION')) {
    // The agent has read the customer's messages: Messenger shows that as "seen".
    if (body.status === 'READ') return { kind: 'action', action: 'mark_seen' }
    return { ignored: `DELIVERYNOTIFICATION ${body.status} has no Messenger counterpart` }
  }
  if (NOT_FOR_THE_CUSTOMER.has(body.type)) {
    return { ignored: `${body.type} is not customer content; Messenger is not called` }
  }
  if (isBodyType(body, 'PLAIN')) return messages(texts(markdownText))
  if (isMediaBody(body)) {
    const caption = nonEmpty(body.caption) ?? markdownText
    const attachment: GraphMessage = {
      attachment: {
        type: attachmentType(body),
        payload: { url: options.publicMediaUrl(body.attachment.mediaUrl) },
      },
    }
    return messages([attachment, ...texts(caption)])
  }
  if (isBodyType(body, 'STICKER')) {
    const url = nonEmpty(body.mediaUrl)
    if (url) {
      return messages([
        { attachment: { type: 'image', payload: { url: options.publicMediaUrl(url) } } },
      ])
    }
    return messages(texts(markdownText), 'STICKER without mediaUrl sent as its text')
  }
  if (isBodyType(body, 'URL'))
    return messages(texts(join([markdownText, nonEmpty(body.mediaUrl)], '\n')))
  if (isBodyType(body, 'LOCATION')) {
    const { latitude, longitude } = body.location
    const label = nonEmpty(body.additionalDetails?.name) ?? markdownText
    const address = nonEmpty(body.additionalDetails?.address)
    return messages(
      texts(locationText(latitude, longitude, label, address)),
      'LOCATION sent as text with a map link (pages cannot send locations on Messenger)',
    )
  }
  if (isBodyType(body, 'CONTACT')) {
    return messages(
      texts(join([markdownText, contactsText(body.contacts)], '\n\n') || undefined),
      'CONTACT sent as text',
    )
  }
  if (isBodyType(body, 'BUTTON')) {
    const plan = planButtons(body, markdownText)
    return messages(plan.parts, plan.degraded)
  }
  if (isBodyType(body, 'CAROUSEL')) {
    const plan = planCarousel(body, markdownText)
    if (plan) return messages(plan.parts, plan.degraded)
    const text = join(
      [
        markdownText,
        ...body.elements.map((e) =>
          join(
            [nonEmpty(e.text), nonEmpty(e.url), numberedOptions(undefined, e.buttons ?? [])],
            '\n',
          ),
        ),
      ],
      '\n\n',
    )
    return messages(
      texts(text || undefined),
      'CAROUSEL sent as text (it does not fit a generic template)',
    )
  }
  if (isBodyType(body, 'TEMPLATE')) {
    if (markdownText === undefined) {
      throw PluginError.terminal(
        'TEMPLATE_WITHOUT_TEXT',
        `template "${body.name}" of message ${message.id} cannot be sent: Messenger has no message templates of this kind; send its text in markdownText`,
        { providerCode: '100' },
      )
    }
    return messages(texts(markdownText), `TEMPLATE ${body.name} sent as its text`)
  }
  return messages(texts(markdownText), `${body.type} is not carried by Messenger; sent its text`)
}

function isMediaBody(body: CimBody): body is MediaBody {
  return Object.hasOwn(MEDIA_TYPES, body.type) || body.type === 'MULTIMEDIA'
}

/** The Send API attachment type: by the body type, and by MIME type for MULTIMEDIA. */
function attachmentType(body: MediaBody): string {
  const byType = MEDIA_TYPES[body.type]
  if (byType) return byType
  const major = body.attachment.mimeType?.split('/', 1)[0]?.toLowerCase()
  return major === 'image' || major === 'video' || major === 'audio' ? major : 'file'
}
