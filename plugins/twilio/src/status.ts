import {
  errorResponse,
  type PluginContext,
  type ReceiptStatus,
  type WebhookHandler,
} from '@plugboard/sdk'
import type { TwilioConfig } from './config.js'
import { describeIssues, StatusCallbackSchema } from './payloads.js'
import { emptyTwiml } from './twiml.js'
import { readSignedWebhook, type WebhookAuthDeps } from './webhook-auth.js'

/**
 * Twilio's message statuses as the host's receipt statuses. `undefined`: not about delivery of
 * a message we sent (`receiving`, `received`), or a status this version does not know.
 */
export function receiptStatus(twilioStatus: string): ReceiptStatus | undefined {
  switch (twilioStatus.toLowerCase()) {
    case 'accepted':
    case 'scheduled':
    case 'queued':
    case 'sending':
      return 'queued'
    case 'sent':
    // Some recipients of a multi-part message got it; the rest may still follow.
    case 'partially_delivered':
      return 'sent'
    case 'delivered':
      return 'delivered'
    case 'read':
      return 'read'
    case 'failed':
    case 'undelivered':
    case 'canceled':
      return 'failed'
    default:
      return undefined
  }
}

// Statuses of messages the account receives; they say nothing about what we sent.
const INBOUND_STATUSES: ReadonlySet<string> = new Set(['receiving', 'received'])

/**
 * A status callback. The host keeps the status monotonic (callbacks arrive out of order) and
 * tells CCM; the answer is sent once the receipt is recorded.
 */
export function statusHandler(
  ctx: PluginContext<TwilioConfig>,
  auth: WebhookAuthDeps,
): WebhookHandler {
  return async (req) => {
    const webhook = await readSignedWebhook(req, auth)
    if (!webhook.ok) return webhook.response
    const parsed = StatusCallbackSchema.safeParse(webhook.value.fields)
    if (!parsed.success) {
      return errorResponse(400, 'INVALID_PAYLOAD', describeIssues(parsed.error))
    }
    const p = parsed.data
    const status = receiptStatus(p.MessageStatus)
    if (status === undefined) {
      const known = INBOUND_STATUSES.has(p.MessageStatus.toLowerCase())
      ctx.log[known ? 'debug' : 'warn'](
        { messageSid: p.MessageSid, status: p.MessageStatus },
        known
          ? 'status callback ignored: not a delivery status'
          : 'status callback ignored: a Twilio status this plugin does not know',
      )
      return emptyTwiml()
    }
    const result = await ctx.receipt({
      providerMessageId: p.MessageSid,
      status,
      ...(status === 'failed'
        ? {
            reasonCode: p.ErrorCode || p.MessageStatus,
            reason: p.ChannelStatusMessage || p.ErrorMessage || `Twilio status ${p.MessageStatus}`,
          }
        : {}),
    })
    if (result.status === 'stale') {
      ctx.log.debug(
        { messageSid: p.MessageSid, status: p.MessageStatus },
        'status callback older than the known status; kept the newer one',
      )
    }
    return emptyTwiml()
  }
}
