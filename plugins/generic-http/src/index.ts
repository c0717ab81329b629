/**
 * @module @plugboard/plugin-generic-http
 * A generic HTTP/JSON channel: any system that can POST JSON to a webhook and receive JSON POSTs
 * (custom apps, in-house SMS gateways).
 */
import { definePlugin } from '@plugboard/sdk'
import { GenericHttpConfig } from './config.js'
import { messageHandler } from './inbound.js'
import { statusHandler } from './receipts.js'
import { createSend } from './send.js'

export { GenericHttpConfig } from './config.js'
export type { InboundPayload, OutboundPayload, StatusPayload } from './payloads.js'
export { SIGNATURE_HEADER, signBody, verifySignature } from './signature.js'

export default definePlugin({
  id: 'generic-http',
  displayName: 'Generic HTTP/JSON',
  description: 'Inbound JSON webhooks and outbound JSON POSTs, optionally HMAC-signed.',
  channelTypes: ['GENERIC'],
  config: GenericHttpConfig,
  webhooks: [
    {
      method: 'POST',
      path: '/message',
      description: 'A customer message: {id, from, to, text | media | location, name?}',
    },
    {
      method: 'POST',
      path: '/status',
      description:
        'A delivery receipt: {id, status: queued|sent|delivered|read|failed, reason?, code?}',
    },
  ],
  setup(ctx) {
    const deps = {
      sharedSecret: ctx.config.sharedSecret,
      log: ctx.log,
      signatureFailures: ctx.metrics.counter(
        'signature_failures',
        'Webhook requests rejected for a missing or wrong X-Plugboard-Signature',
        ['path', 'reason'],
      ),
    }
    ctx.http.post('/message', messageHandler(ctx, deps))
    ctx.http.post('/status', statusHandler(ctx, deps))
    return { send: createSend(ctx) }
  },
})
