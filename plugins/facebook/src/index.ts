/**
 * @module @plugboard/plugin-facebook
 * Facebook Messenger: Page conversations in and out through the Graph API, signed webhooks,
 * delivery and read watermarks as receipts. One connector is one Meta app; its channels are the
 * app's Pages (serviceIdentifier = Page ID).
 */
import { definePlugin } from '@plugboard/sdk'
import { FacebookConfig, resolveAppSecret } from './config.js'
import { createKeyedLock } from './keyed-lock.js'
import { createAuthHealth, createSend } from './send.js'
import { createSentLog } from './sent-log.js'
import { verificationHandler } from './verification.js'
import { eventHandler } from './webhook.js'
import { createWindowStore } from './window.js'

export { type GraphButton, type GraphMessage, planButtons, planCarousel } from './buttons.js'
export { FacebookConfig, pageToken, resolveAppSecret } from './config.js'
export { graphError, isWindowError } from './errors.js'
export { messageBodies, messageItems, postbackItem } from './inbound.js'
export { type OutboundPlan, planOutbound } from './outbound.js'
export { checkHubSignature, hubSignature, SIGNATURE_HEADER } from './signature.js'
export { type MessagingPolicy, messagingPolicy } from './window.js'

/** The webhook path below `/webhooks/{connectorId}`: the Callback URL of the Meta app. */
export const WEBHOOK_PATH = '/webhook'

export default definePlugin({
  id: 'facebook',
  displayName: 'Facebook Messenger',
  description:
    'Facebook Messenger for Pages: messages, attachments, quick replies and postbacks in; text, media, buttons and typing indicators out; delivery and read receipts.',
  channelTypes: ['FACEBOOK'],
  config: FacebookConfig,
  webhooks: [
    {
      method: 'GET',
      path: WEBHOOK_PATH,
      description: 'Meta’s verification request (hub.mode, hub.verify_token, hub.challenge)',
    },
    {
      method: 'POST',
      path: WEBHOOK_PATH,
      description:
        'Messenger webhook events of the app’s Pages: messages, messaging_postbacks, message_deliveries, message_reads',
    },
  ],
  setup(ctx) {
    const { config } = ctx
    const appSecret = resolveAppSecret(config)
    const lock = createKeyedLock()
    const windows = createWindowStore(ctx.store, lock)
    const sentLog = createSentLog(ctx.store, lock)
    const mediaFallbacks = ctx.metrics.counter(
      'media_fallbacks',
      'Incoming attachments passed on as Meta URLs because copying them to the file engine failed',
      ['reason'],
    )
    ctx.http.get(
      WEBHOOK_PATH,
      verificationHandler({
        verifyToken: config.verifyToken,
        log: ctx.log,
        failures: ctx.metrics.counter(
          'verification_failures',
          'Meta webhook verification requests refused for a wrong hub.mode or hub.verify_token',
          ['reason'],
        ),
      }),
    )
    ctx.http.post(
      WEBHOOK_PATH,
      eventHandler(ctx, {
        auth: {
          appSecret,
          log: ctx.log,
          signatureFailures: ctx.metrics.counter(
            'signature_failures',
            'Messenger webhooks refused for a missing, malformed or wrong X-Hub-Signature-256',
            ['reason'],
          ),
        },
        media: {
          request: ctx.request,
          log: ctx.log,
          timeoutMs: config.timeoutMs,
          ...(ctx.env.fileEngineUrl ? { fileEngineUrl: ctx.env.fileEngineUrl } : {}),
          ...(ctx.env.fileEnginePublicUrl
            ? { fileEnginePublicUrl: ctx.env.fileEnginePublicUrl }
            : {}),
          onFallback: (reason: string) => mediaFallbacks.inc({ reason }),
        },
        windows,
        sentLog,
        events: ctx.metrics.counter('webhook_events', 'Messenger webhook events by kind', ['kind']),
      }),
    )

    const authHealth = createAuthHealth()
    return {
      send: createSend(ctx, { windows, sentLog, onAuth: authHealth.onAuth }),
      health: authHealth.health,
    }
  },
})
