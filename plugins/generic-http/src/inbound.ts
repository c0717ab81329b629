import {
  type CimBody,
  type CimMessage,
  inboundMessage,
  json,
  type MediaBodyType,
  type PluginContext,
  text,
  type WebhookHandler,
} from '@plugboard/sdk'
import type { GenericHttpConfig } from './config.js'
import { type InboundPayload, InboundPayloadSchema } from './payloads.js'
import { readWebhookBody, type WebhookBodyDeps } from './webhook-body.js'

/** The CIM body type for a media MIME type; anything not image, video or audio is a `FILE`. */
export function mediaBodyType(mimeType: string): Exclude<MediaBodyType, 'MULTIMEDIA'> {
  const major = mimeType.split('/', 1)[0]?.trim().toLowerCase()
  if (major === 'image') return 'IMAGE'
  if (major === 'video') return 'VIDEO'
  if (major === 'audio') return 'AUDIO'
  return 'FILE'
}

/** The CIM body of an inbound payload: location wins over media, media over plain text. */
export function inboundBody(payload: InboundPayload): CimBody {
  if (payload.location) {
    return { type: 'LOCATION', markdownText: payload.text ?? null, location: payload.location }
  }
  if (payload.media) {
    const { url, mimeType, caption } = payload.media
    const type = mediaBodyType(mimeType)
    const fileName = fileNameOf(url)
    return {
      type,
      markdownText: payload.text ?? null,
      caption: caption ?? payload.text ?? null,
      attachment: { mediaUrl: url, mimeType, mediaName: fileName ?? null, thumbnail: null },
      additionalDetails: type === 'FILE' && fileName ? { fileName } : null,
    }
  }
  return text(payload.text ?? '')
}

/** The CIM message CCM gets for an inbound payload. */
export function toCimMessage(payload: InboundPayload, connectorId: string): CimMessage {
  return inboundMessage({
    serviceIdentifier: payload.to,
    customerId: payload.from,
    body: inboundBody(payload),
    customerFirstName: payload.name ?? null,
    providerMessageId: payload.id,
    connectorId,
  })
}

/**
 * `POST /message`. Answers 200 only once `ctx.inbound` resolved, i.e. the message is durable;
 * a failing `ctx.inbound` propagates so the host answers 503 and the sender retries.
 */
export function messageHandler(
  ctx: PluginContext<GenericHttpConfig>,
  deps: WebhookBodyDeps,
): WebhookHandler {
  return async (req) => {
    const body = await readWebhookBody(req, InboundPayloadSchema, deps)
    if (!body.ok) return body.response
    const payload = body.value
    const result = await ctx.inbound(toCimMessage(payload, ctx.connectorId), {
      providerMessageId: payload.id,
    })
    return json({ status: result.status, id: result.id })
  }
}

function fileNameOf(url: string): string | undefined {
  try {
    const last = new URL(url).pathname.split('/').pop()
    return last ? decodeURIComponent(last) : undefined
  } catch {
    return undefined
  }
}
