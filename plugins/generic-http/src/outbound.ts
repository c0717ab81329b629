import {
  type CimBody,
  type CimMessage,
  isBodyType,
  MEDIA_BODY_TYPES,
  type MediaBody,
} from '@plugboard/sdk'
import type { OutboundPayload } from './payloads.js'

export type OutboundMapping = { payload: OutboundPayload } | { ignored: string }

const MEDIA_TYPES: ReadonlySet<string> = new Set(MEDIA_BODY_TYPES)

/**
 * The JSON POSTed for an outbound CIM message, or why it is not sent. Notifications (typing,
 * session events), receipts and the rich types a plain JSON receiver cannot render are ignored
 * rather than failed: many receivers turn every POST into a customer-visible text.
 */
export function toOutboundPayload(message: CimMessage, idempotencyKey: string): OutboundMapping {
  const { body } = message
  const { channelCustomerIdentifier, serviceIdentifier } = message.header.channelData
  const base = { id: idempotencyKey, to: channelCustomerIdentifier, from: serviceIdentifier }
  const markdownText = nonEmpty(body.markdownText)

  if (isBodyType(body, 'PLAIN')) {
    if (markdownText === undefined) return { ignored: 'PLAIN body without text' }
    return { payload: { ...base, type: 'PLAIN', text: markdownText } }
  }
  if (isMediaBody(body)) {
    const media = body
    const caption = nonEmpty(media.caption)
    return {
      payload: {
        ...base,
        type: media.type,
        text: markdownText ?? caption,
        media: {
          url: media.attachment.mediaUrl,
          mimeType: nonEmpty(media.attachment.mimeType),
          caption,
          name: nonEmpty(media.attachment.mediaName),
          size: media.attachment.size ?? undefined,
        },
      },
    }
  }
  if (isBodyType(body, 'LOCATION')) {
    const { latitude, longitude } = body.location
    return {
      payload: { ...base, type: 'LOCATION', text: markdownText, location: { latitude, longitude } },
    }
  }
  if (isBodyType(body, 'BUTTON')) {
    const buttons = body.buttons.flatMap((b) => {
      const title = nonEmpty(b.title)
      return title === undefined ? [] : [{ title, payload: nonEmpty(b.payload) }]
    })
    return { payload: { ...base, type: 'BUTTON', text: markdownText, buttons } }
  }
  if (isBodyType(body, 'URL')) {
    return { payload: { ...base, type: 'URL', text: markdownText, url: body.mediaUrl } }
  }
  if (isBodyType(body, 'NOTIFICATION')) {
    return { ignored: `NOTIFICATION ${body.notificationType} is not carried by generic-http` }
  }
  return { ignored: `body type ${body.type} is not carried by generic-http` }
}

function isMediaBody(body: CimBody): body is MediaBody {
  return MEDIA_TYPES.has(body.type)
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}
