import {
  type ChannelAttribute,
  type CimBody,
  type CimMessage,
  errorResponse,
  inboundMessage,
  type MediaBodyType,
  type PluginContext,
  text,
  type WebhookHandler,
} from '@plugboard/sdk'
import { bareNumber } from './address.js'
import type { TwilioConfig } from './config.js'
import { type MediaDeps, mediaOf, type ResolvedMedia, resolveMedia } from './media.js'
import { describeIssues, type InboundMessageParams, InboundMessageSchema } from './payloads.js'
import { emptyTwiml } from './twiml.js'
import { readSignedWebhook, type WebhookAuthDeps } from './webhook-auth.js'

/** The CIM body type for a MIME type; anything not image, video or audio is a `FILE`. */
export function mediaBodyType(mimeType: string): Exclude<MediaBodyType, 'MULTIMEDIA'> {
  const major = mimeType.split('/', 1)[0]?.trim().toLowerCase()
  if (major === 'image') return 'IMAGE'
  if (major === 'video') return 'VIDEO'
  if (major === 'audio') return 'AUDIO'
  return 'FILE'
}

/**
 * The CIM bodies of an incoming message. A location or a button reply is one body; media are
 * one body each (CIM carries one attachment per message), the text riding as the first caption;
 * otherwise the text.
 */
export function inboundBodies(p: InboundMessageParams, media: readonly ResolvedMedia[]): CimBody[] {
  const body = p.Body ?? ''
  if (p.Latitude !== undefined && p.Longitude !== undefined) {
    const details: Record<string, unknown> = {}
    if (p.Label) details.name = p.Label
    if (p.Address) details.address = p.Address
    return [
      {
        type: 'LOCATION',
        markdownText: body || null,
        location: { latitude: p.Latitude, longitude: p.Longitude },
        additionalDetails: Object.keys(details).length > 0 ? details : null,
      },
    ]
  }
  if (p.ButtonText || p.ButtonPayload) return [text(p.ButtonText || body || p.ButtonPayload || '')]
  if (media.length > 0) {
    return media.map((m, i) => {
      const type = mediaBodyType(m.mimeType)
      const caption = i === 0 && body !== '' ? body : null
      return {
        type,
        markdownText: caption,
        caption,
        attachment: {
          mediaUrl: m.mediaUrl,
          mimeType: m.mimeType,
          mediaName: m.fileName,
          thumbnail: null,
          ...(m.size === undefined ? {} : { size: m.size }),
        },
        additionalDetails: type === 'FILE' ? { fileName: m.fileName } : null,
      }
    })
  }
  if (body === '' && p.MessageType && p.MessageType !== 'text') {
    // A WhatsApp message type Twilio forwards without content (e.g. a contact card or a
    // reaction): the agent still sees that the customer sent something.
    return [text(`[${p.MessageType} message]`)]
  }
  return [text(body)]
}

/** Twilio extras CCM has no field for, as channel attributes. */
export function inboundAttributes(p: InboundMessageParams): ChannelAttribute[] {
  const attributes: ChannelAttribute[] = []
  if (p.ButtonPayload) {
    attributes.push({ key: 'ButtonPayload', type: 'String2000', value: p.ButtonPayload })
  }
  if (p.OriginalRepliedMessageSid) {
    attributes.push({
      key: 'OriginalRepliedMessageSid',
      type: 'String100',
      value: p.OriginalRepliedMessageSid,
    })
  }
  return attributes
}

/**
 * The CIM messages for an incoming Twilio message, with the provider id each is de-duplicated
 * by: the MessageSid, suffixed `#n` for the second and later media of one MMS.
 */
export function toCimMessages(
  p: InboundMessageParams,
  media: readonly ResolvedMedia[],
  connectorId: string,
): Array<{ message: CimMessage; providerMessageId: string }> {
  const customerFirstName = p.ProfileName || null
  const additionalAttributes = inboundAttributes(p)
  return inboundBodies(p, media).map((body, i) => {
    const providerMessageId = i === 0 ? p.MessageSid : `${p.MessageSid}#${i}`
    const message = inboundMessage({
      serviceIdentifier: p.To,
      customerId: bareNumber(p.From),
      body,
      customerFirstName,
      providerMessageId,
      additionalAttributes,
      connectorId,
    })
    return { message, providerMessageId }
  })
}

export interface MessageHandlerDeps {
  auth: WebhookAuthDeps
  media: MediaDeps
}

/**
 * "A message comes in". Twilio gets its empty TwiML answer only once every CIM message is
 * durable (`ctx.inbound` resolved); a failing hand-off propagates, so the host answers 5xx.
 */
export function messageHandler(
  ctx: PluginContext<TwilioConfig>,
  deps: MessageHandlerDeps,
): WebhookHandler {
  return async (req) => {
    const webhook = await readSignedWebhook(req, deps.auth)
    if (!webhook.ok) return webhook.response
    const parsed = InboundMessageSchema.safeParse(webhook.value.fields)
    if (!parsed.success) {
      return errorResponse(400, 'INVALID_PAYLOAD', describeIssues(parsed.error))
    }
    const p = parsed.data
    const media = await Promise.all(
      mediaOf(webhook.value.fields, p.NumMedia).map((m) => resolveMedia(m, deps.media)),
    )
    for (const { message, providerMessageId } of toCimMessages(p, media, ctx.connectorId)) {
      await ctx.inbound(message, { providerMessageId })
    }
    return emptyTwiml()
  }
}
