import {
  type CimBody,
  type CimMessage,
  isBodyType,
  MEDIA_BODY_TYPES,
  type MediaBody,
  PluginError,
  type TemplateBody,
} from '@plugboard/sdk'
import { carouselText, contactsText, locationText, nonEmpty, numberedOptions } from './render.js'

/** What a message becomes in Twilio's Send API, apart from the addresses. */
export interface TwilioContent {
  body?: string
  mediaUrls?: string[]
  contentSid?: string
  /** JSON object text, e.g. `{"1":"Ada"}`. */
  contentVariables?: string
  /** WhatsApp rich actions, e.g. `geo:52.37,4.89|Dam Square`. */
  persistentActions?: string[]
}

export type OutboundPlan =
  | {
      content: TwilioContent
      /** Set when the body was rendered as text because Twilio cannot carry its type. */
      degraded?: string
    }
  | { ignored: string }

export interface PlanOptions {
  whatsapp: boolean
  /** Rewrites an attachment URL to one Twilio can fetch (the file engine's public URL). */
  publicMediaUrl(url: string): string
}

const MEDIA_TYPES: ReadonlySet<string> = new Set(MEDIA_BODY_TYPES)
// Not customer content: typing indicators, session events, receipts, agent-side records.
const NOT_FOR_THE_CUSTOMER: ReadonlySet<string> = new Set([
  'NOTIFICATION',
  'DELIVERYNOTIFICATION',
  'DELETEDNOTIFICATION',
  'ACTION',
  'WRAPUP',
  'VOICE',
])

/**
 * How an outbound CIM message is sent through Twilio. Types Twilio cannot carry are rendered as
 * text (and say so in `degraded`); a message with nothing to send is refused as terminal, so
 * CCM hears it failed instead of it vanishing.
 */
export function planOutbound(message: CimMessage, options: PlanOptions): OutboundPlan {
  const { body } = message
  const markdownText = nonEmpty(body.markdownText)

  if (NOT_FOR_THE_CUSTOMER.has(body.type)) {
    const detail = isBodyType(body, 'NOTIFICATION') ? ` ${body.notificationType}` : ''
    return { ignored: `${body.type}${detail} is not customer content; Twilio is not called` }
  }
  if (isBodyType(body, 'PLAIN')) {
    return { content: { body: required(markdownText, message) } }
  }
  if (isMediaBody(body)) {
    const caption = nonEmpty(body.caption) ?? markdownText
    return {
      content: {
        ...(caption ? { body: caption } : {}),
        mediaUrls: [options.publicMediaUrl(body.attachment.mediaUrl)],
      },
    }
  }
  if (isBodyType(body, 'STICKER') && nonEmpty(body.mediaUrl)) {
    return { content: { mediaUrls: [options.publicMediaUrl(body.mediaUrl!)] } }
  }
  if (isBodyType(body, 'LOCATION')) {
    const { latitude, longitude } = body.location
    const label =
      nonEmpty(body.additionalDetails?.name) ??
      nonEmpty(body.additionalDetails?.address) ??
      markdownText
    if (options.whatsapp) {
      return {
        content: {
          body: label ?? `${latitude},${longitude}`,
          persistentActions: [`geo:${latitude},${longitude}${label ? `|${label}` : ''}`],
        },
      }
    }
    return {
      content: { body: locationText(latitude, longitude, label) },
      degraded: 'LOCATION sent as text with a map link (SMS has no locations)',
    }
  }
  if (isBodyType(body, 'BUTTON')) {
    return {
      content: { body: required(numberedOptions(markdownText, body.buttons), message) },
      degraded: 'BUTTON sent as text with numbered options',
    }
  }
  if (isBodyType(body, 'TEMPLATE')) return planTemplate(body, markdownText, message)
  if (isBodyType(body, 'URL')) {
    const text = [markdownText, nonEmpty(body.mediaUrl)].filter(Boolean).join('\n')
    return { content: { body: required(text, message) } }
  }
  if (isBodyType(body, 'CONTACT')) {
    const text = [markdownText, contactsText(body.contacts)].filter(Boolean).join('\n\n')
    return {
      content: { body: required(text, message) },
      degraded: 'CONTACT sent as text',
    }
  }
  if (isBodyType(body, 'CAROUSEL')) {
    return {
      content: { body: required(carouselText(markdownText, body.elements), message) },
      degraded: 'CAROUSEL sent as text',
    }
  }
  return {
    content: { body: required(markdownText, message) },
    degraded: `${body.type} is not carried by Twilio; sent its text`,
  }
}

/**
 * A WhatsApp template is a Twilio Content template: its `HX…` sid is the CIM template's `name`
 * (or `additionalDetails.contentSid`), its variables come from `additionalDetails.contentVariables`
 * or else from the components' parameters, numbered 1, 2, … in order.
 */
function planTemplate(
  body: TemplateBody,
  markdownText: string | undefined,
  message: CimMessage,
): OutboundPlan {
  const details = body.additionalDetails ?? {}
  const contentSid = /^HX[0-9a-fA-F]{32}$/.test(body.name)
    ? body.name
    : nonEmpty(details.contentSid)
  if (contentSid === undefined) {
    if (markdownText !== undefined) {
      return {
        content: { body: markdownText },
        degraded: `TEMPLATE ${body.name} has no Twilio Content SID (HX…); sent its text`,
      }
    }
    throw PluginError.terminal(
      'TEMPLATE_WITHOUT_CONTENT_SID',
      `template "${body.name}" of message ${message.id} cannot be sent: put its Twilio Content SID (HX…) in the template name or in additionalDetails.contentSid`,
    )
  }
  const variables = contentVariables(body)
  return {
    content: {
      contentSid,
      ...(variables === undefined ? {} : { contentVariables: variables }),
    },
  }
}

function contentVariables(body: TemplateBody): string | undefined {
  const given = body.additionalDetails?.contentVariables
  if (typeof given === 'string' && given.trim() !== '') return given
  if (typeof given === 'object' && given !== null) return JSON.stringify(given)
  const values: string[] = []
  for (const component of body.components ?? []) {
    for (const parameter of component.parameters ?? []) {
      values.push(parameterValue(parameter.parameterType, parameter.additionalParameterDetails))
    }
  }
  if (values.length === 0) return undefined
  return JSON.stringify(Object.fromEntries(values.map((v, i) => [String(i + 1), v])))
}

// Parameters follow WhatsApp's shapes: {text}, {payload}, {currency:{fallback_value}},
// {image:{link}}, …; the first string found is the value.
function parameterValue(
  type: string | null | undefined,
  details: Record<string, unknown> | null | undefined,
): string {
  if (!details) return ''
  const nested = type ? details[type] : undefined
  const sources = [details, typeof nested === 'object' && nested !== null ? nested : {}]
  for (const source of sources as Record<string, unknown>[]) {
    for (const key of ['text', 'value', 'payload', 'fallback_value', 'link', 'url']) {
      const value = source[key]
      if (typeof value === 'string') return value
      if (typeof value === 'number') return String(value)
    }
  }
  return ''
}

function isMediaBody(body: CimBody): body is MediaBody {
  return MEDIA_TYPES.has(body.type)
}

function required(text: string | undefined, message: CimMessage): string {
  if (text !== undefined && text !== '') return text
  throw PluginError.terminal(
    'EMPTY_MESSAGE',
    `message ${message.id} (${message.body.type}) has no text or media to send to Twilio`,
  )
}
