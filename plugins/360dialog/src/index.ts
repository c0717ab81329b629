/**
 * @module @plugboard/plugin-360dialog
 * WhatsApp through 360dialog: messages in and out, statuses, media, webhook registration. One
 * connector is one WhatsApp number with its API key; its channel's serviceIdentifier is the number.
 */
import { definePlugin } from '@plugboard/sdk'
import { Dialog360Config } from './config.js'
import { endpoints, hostUrlWarning } from './endpoints.js'
import { createHealth } from './health.js'
import { createMediaLinks, MEDIA_PATH, mediaHandler } from './media-link.js'
import { createReadMarks } from './read-marks.js'
import { registerWebhook } from './register.js'
import { createSend } from './send.js'
import { mediaLinkKey, webhookToken } from './signature.js'
import { webhookHandler } from './webhook.js'
import type { WebhookAuth } from './webhook-auth.js'

export { resolveChannel } from './channel.js'
export { DEFAULT_HOST_URL, DEFAULT_TOKEN_HEADER, Dialog360Config } from './config.js'
export { endpoints } from './endpoints.js'
export { dialog360Error } from './errors.js'
export { inboundContent } from './inbound.js'
export { type OutboundPlan, planOutbound, type WaContent } from './outbound.js'
export { parseWebhook } from './payloads.js'
export { recipient } from './send.js'
export {
  dialog360Signature,
  SIGNATURE_HEADERS,
  verifyDialog360Signature,
  webhookToken,
} from './signature.js'
export { receiptStatus } from './status.js'

/** Paths below `/webhooks/{connectorId}`; `/360notifications` is the path of Expertflow's connector. */
export const WEBHOOK_PATHS = {
  webhook: '/webhook',
  legacyWebhook: '/360notifications',
  media: MEDIA_PATH,
} as const

export default definePlugin({
  id: '360dialog',
  displayName: '360dialog WhatsApp',
  description:
    'WhatsApp Business API through 360dialog: Cloud API messages in and out, statuses, media, webhook registration.',
  channelTypes: ['WHATSAPP'],
  config: Dialog360Config,
  webhooks: [
    {
      method: 'POST',
      path: WEBHOOK_PATHS.webhook,
      description:
        'The number’s webhook: customer messages and statuses (Cloud API or On-Premise shape); registered at start with REGISTER-WEBHOOK',
    },
    {
      method: 'POST',
      path: WEBHOOK_PATHS.legacyWebhook,
      description: 'Alias of /webhook, the path of Expertflow’s 360dialog connector',
    },
    {
      method: 'GET',
      path: WEBHOOK_PATHS.media,
      description: 'Signed links to customer media for agents, used when no file engine is set',
    },
  ],
  setup(ctx) {
    const { config } = ctx
    const api = endpoints(config.hostUrl)
    const hostWarning = hostUrlWarning(config.hostUrl)
    if (hostWarning) ctx.log.warn({ hostUrl: config.hostUrl }, hostWarning)
    const publicBase = (config.webhookBaseUrl ?? ctx.publicUrl()).replace(/\/+$/, '')
    if (!ctx.env.fileEngineUrl && /^https?:\/\/localhost[:/]/.test(`${publicBase}/`)) {
      ctx.log.warn(
        { mediaLinks: `${publicBase}${MEDIA_PATH}` },
        'no file engine and no public URL: agents get media links on localhost; set FILE_ENGINE_URL, or PUBLIC_URL or WEBHOOK-BASE-URL',
      )
    }
    const token = webhookToken(config)
    const auth: WebhookAuth = config.partnerSecret
      ? { mode: 'signature', partnerSecret: config.partnerSecret }
      : { mode: 'token', header: config.webhookTokenHeader, token }

    const readMarks = createReadMarks(ctx.store, ctx.log)
    const links = createMediaLinks({ key: mediaLinkKey(config.apiKey), publicBase })
    const mediaFallbacks = ctx.metrics.counter(
      'media_fallbacks',
      'Incoming media not copied to the file engine after all; agents get the connector’s media link',
      ['reason'],
    )
    const download = {
      request: ctx.request,
      apiKey: config.apiKey,
      endpoints: api,
      timeoutMs: config.timeoutMs,
      log: ctx.log,
    }
    const onWebhook = webhookHandler(ctx, {
      auth: {
        auth,
        log: ctx.log,
        failures: ctx.metrics.counter(
          'webhook_auth_failures',
          '360dialog webhooks refused for a missing or wrong token or partner signature',
          ['path', 'reason'],
        ),
      },
      media: {
        ...download,
        ...(ctx.env.fileEngineUrl ? { fileEngineUrl: ctx.env.fileEngineUrl } : {}),
        ...(ctx.env.fileEnginePublicUrl
          ? { fileEnginePublicUrl: ctx.env.fileEnginePublicUrl }
          : {}),
        mediaLink: links.link,
        onFallback: (reason) => mediaFallbacks.inc({ reason }),
      },
      readMarks,
      channel: { phoneNumber: config.phoneNumber, channels: () => ctx.channels() },
      invalidEvents: ctx.metrics.counter(
        'invalid_events',
        'Malformed messages or statuses skipped in otherwise valid 360dialog webhooks',
        ['kind'],
      ),
      providerErrors: ctx.metrics.counter(
        'provider_errors',
        'Errors WhatsApp reported in webhooks (failed statuses and webhook errors), by code',
        ['code'],
      ),
    })
    ctx.http.post(WEBHOOK_PATHS.webhook, onWebhook)
    ctx.http.post(WEBHOOK_PATHS.legacyWebhook, onWebhook)
    ctx.http.get(WEBHOOK_PATHS.media, mediaHandler(links, download))

    const health = createHealth()
    const stopping = new AbortController()
    let registration: Promise<void> | undefined
    if (config.registerWebhook) {
      health.onRegistration({ state: 'pending', detail: 'webhook registration in progress' })
      registration = registerWebhook({
        request: ctx.request,
        log: ctx.log,
        url: api.webhookConfig,
        apiKey: config.apiKey,
        webhook: {
          url: `${publicBase}${WEBHOOK_PATHS.webhook}`,
          headers: { [config.webhookTokenHeader]: token },
        },
        timeoutMs: config.timeoutMs,
        signal: AbortSignal.any([ctx.signal, stopping.signal]),
        onState: health.onRegistration,
      })
    }
    return {
      send: createSend(ctx, { endpoints: api, readMarks, onAuth: health.onAuth }),
      health: health.health,
      async stop() {
        stopping.abort()
        await registration
      },
    }
  },
})
