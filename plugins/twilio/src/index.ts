/**
 * @module @plugboard/plugin-twilio
 * Twilio Programmable Messaging: SMS and WhatsApp in and out, signed webhooks, status callbacks.
 * One connector is one Twilio account; its channels are the account's numbers (`+1555…`,
 * `whatsapp:+1555…`) or Messaging Services (`MG…`).
 */
import { definePlugin } from '@plugboard/sdk'
import { TwilioConfig } from './config.js'
import { messageHandler } from './inbound.js'
import { createAuthHealth, createSend } from './send.js'
import { statusHandler } from './status.js'

export { isWhatsApp, recipientAddress } from './address.js'
export { TwilioConfig } from './config.js'
export { type OutboundPlan, planOutbound, type TwilioContent } from './outbound.js'
export {
  bodySha256,
  SIGNATURE_HEADER,
  signatureUrlVariants,
  type TwilioParams,
  twilioSignature,
  verifyTwilioSignature,
} from './signature.js'
export { receiptStatus } from './status.js'

/** Webhook paths below `/webhooks/{connectorId}`; the `twilio-msg` ones match Expertflow's connector. */
export const WEBHOOK_PATHS = {
  message: '/message',
  status: '/status',
  legacyMessage: '/twilio-msg/receive',
  legacyStatus: '/twilio-msg/status',
} as const

export default definePlugin({
  id: 'twilio',
  displayName: 'Twilio SMS and WhatsApp',
  description:
    'Twilio Programmable Messaging: SMS, MMS and WhatsApp messages, X-Twilio-Signature checks, status callbacks.',
  channelTypes: ['SMS', 'WHATSAPP'],
  config: TwilioConfig,
  webhooks: [
    {
      method: 'POST',
      path: WEBHOOK_PATHS.message,
      description:
        'Twilio "A message comes in" webhook (number or Messaging Service): SMS, MMS and WhatsApp',
    },
    {
      method: 'POST',
      path: WEBHOOK_PATHS.status,
      description: 'Twilio status callback; set on every message sent, nothing to configure',
    },
    {
      method: 'POST',
      path: WEBHOOK_PATHS.legacyMessage,
      description: 'Alias of /message, the path of Expertflow’s Twilio connector',
    },
    {
      method: 'POST',
      path: WEBHOOK_PATHS.legacyStatus,
      description: 'Alias of /status, the path of Expertflow’s Twilio connector',
    },
  ],
  setup(ctx) {
    const { config } = ctx
    const publicBase = (config.webhookBaseUrl ?? ctx.publicUrl()).replace(/\/+$/, '')
    if (!config.webhookBaseUrl && /^https?:\/\/localhost(:\d+)?\//.test(ctx.publicUrl('/'))) {
      ctx.log.warn(
        { statusCallback: `${publicBase}${WEBHOOK_PATHS.status}` },
        'no public URL: Twilio cannot reach status callbacks; set PUBLIC_URL or TWILIO_WEBHOOK_BASE_URL',
      )
    }
    const auth = {
      authToken: config.authToken,
      publicBase,
      log: ctx.log,
      signatureFailures: ctx.metrics.counter(
        'signature_failures',
        'Twilio webhooks refused for a missing or wrong X-Twilio-Signature',
        ['path', 'reason'],
      ),
    }
    const mediaFallbacks = ctx.metrics.counter(
      'media_fallbacks',
      'Incoming media passed on as Twilio URLs because copying them to the file engine failed',
      ['reason'],
    )
    const media = {
      request: ctx.request,
      log: ctx.log,
      accountSid: config.accountSid,
      authToken: config.authToken,
      apiOrigin: new URL(config.apiBaseUrl).origin,
      timeoutMs: config.timeoutMs,
      ...(ctx.env.fileEngineUrl ? { fileEngineUrl: ctx.env.fileEngineUrl } : {}),
      ...(ctx.env.fileEnginePublicUrl ? { fileEnginePublicUrl: ctx.env.fileEnginePublicUrl } : {}),
      onFallback: (reason: string) => mediaFallbacks.inc({ reason }),
    }
    const onMessage = messageHandler(ctx, { auth, media })
    const onStatus = statusHandler(ctx, auth)
    ctx.http.post(WEBHOOK_PATHS.message, onMessage)
    ctx.http.post(WEBHOOK_PATHS.status, onStatus)
    ctx.http.post(WEBHOOK_PATHS.legacyMessage, onMessage)
    ctx.http.post(WEBHOOK_PATHS.legacyStatus, onStatus)

    const authHealth = createAuthHealth()
    return {
      send: createSend(ctx, {
        statusCallbackUrl: `${publicBase}${WEBHOOK_PATHS.status}`,
        onAuth: authHealth.onAuth,
      }),
      health: authHealth.health,
    }
  },
})
