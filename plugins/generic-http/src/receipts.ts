import { json, type PluginContext, type WebhookHandler } from '@plugboard/sdk'
import type { GenericHttpConfig } from './config.js'
import { StatusPayloadSchema } from './payloads.js'
import { readWebhookBody, type WebhookBodyDeps } from './webhook-body.js'

/** `POST /status`: a delivery receipt; the host keeps status monotonic and tells CCM. */
export function statusHandler(
  ctx: PluginContext<GenericHttpConfig>,
  deps: WebhookBodyDeps,
): WebhookHandler {
  return async (req) => {
    const body = await readWebhookBody(req, StatusPayloadSchema, deps)
    if (!body.ok) return body.response
    const { id, status, reason, code } = body.value
    const result = await ctx.receipt({
      providerMessageId: id,
      status,
      reasonCode: code === undefined ? undefined : String(code),
      reason,
    })
    return json({ result: result.status })
  }
}
