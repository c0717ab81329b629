/**
 * @module
 * The connector's webhook: customer messages and statuses, in the Cloud API or the On-Premise
 * shape. 360dialog gets its 200 only once every customer message is durable with the host and
 * every status is recorded; a failing hand-off propagates, the host answers 5xx and 360dialog
 * delivers the webhook again (the host drops what it already has, by WhatsApp message id).
 */
import {
  type CimMessage,
  type Counter,
  errorResponse,
  inboundMessage,
  json,
  type PluginContext,
  type WebhookHandler,
} from '@plugboard/sdk'
import { type ChannelSource, resolveChannel } from './channel.js'
import type { Dialog360Config } from './config.js'
import { inboundContent, mediaOf } from './inbound.js'
import { type MediaDeps, resolveMedia } from './media.js'
import {
  describeIssues,
  parseWebhook,
  WaErrorSchema,
  type WaMessage,
  WaMessageSchema,
  WaStatusSchema,
  type WebhookValue,
} from './payloads.js'
import type { ReadMarks } from './read-marks.js'
import { describeError, receiptOf } from './status.js'
import { readAuthenticatedWebhook, type WebhookAuthDeps } from './webhook-auth.js'

export interface WebhookDeps {
  auth: WebhookAuthDeps
  media: MediaDeps
  readMarks: ReadMarks
  channel: ChannelSource
  /** Events refused one by one (malformed items of an otherwise good webhook). */
  invalidEvents: Counter
  /** Errors WhatsApp reports in webhooks, by code. */
  providerErrors: Counter
}

export function webhookHandler(
  ctx: PluginContext<Dialog360Config>,
  deps: WebhookDeps,
): WebhookHandler {
  return async (req) => {
    const authenticated = await readAuthenticatedWebhook(req, deps.auth)
    if (!authenticated.ok) return authenticated.response
    let data: unknown
    try {
      data = JSON.parse(new TextDecoder().decode(authenticated.raw))
    } catch {
      return errorResponse(400, 'INVALID_JSON', 'the webhook body is not JSON')
    }
    const parsed = parseWebhook(data)
    if (!parsed.ok) return errorResponse(400, 'INVALID_PAYLOAD', parsed.problem)
    const { batch } = parsed
    if (batch.otherFields.length > 0) {
      ctx.log.debug({ fields: batch.otherFields }, 'webhook changes that are not messages ignored')
    }
    let accepted = 0
    let receipts = 0
    for (const value of batch.values) {
      reportErrors(value, ctx, deps)
      for (const item of value.statuses) {
        if (await handleStatus(item, ctx, deps)) receipts++
      }
      if (value.messages.length === 0) continue
      const serviceIdentifier = resolveChannel(deps.channel, value.displayPhoneNumber)
      if (serviceIdentifier === undefined) {
        // 360dialog keeps retrying a failed webhook for days: the messages wait for the fix.
        ctx.log.error(
          { shape: batch.shape },
          'a webhook without metadata names no business number, and the connector has none: set PHONE-NUMBER',
        )
        return errorResponse(
          503,
          'NO_CHANNEL',
          'the connector does not know its WhatsApp number; set PHONE-NUMBER or route exactly one channel to it',
        )
      }
      for (const item of value.messages) {
        if (await handleMessage(item, value, serviceIdentifier, ctx, deps)) accepted++
      }
    }
    return json({ status: 'ok', messages: accepted, statuses: receipts })
  }
}

async function handleMessage(
  item: unknown,
  value: WebhookValue,
  serviceIdentifier: string,
  ctx: PluginContext<Dialog360Config>,
  deps: WebhookDeps,
): Promise<boolean> {
  const parsed = WaMessageSchema.safeParse(item)
  if (!parsed.success) {
    invalid('message', describeIssues(parsed.error), ctx, deps)
    return false
  }
  const message = parsed.data
  const found = mediaOf(message)
  const media = found ? await resolveMedia(found.media, deps.media) : undefined
  const content = inboundContent(message, media)
  if (content.degraded) {
    ctx.log.info({ providerMessageId: message.id, type: message.type }, content.degraded)
  }
  const cim: CimMessage = inboundMessage({
    serviceIdentifier,
    customerId: message.from,
    body: content.body,
    customerFirstName: value.names.get(message.from) ?? null,
    providerMessageId: message.id,
    additionalAttributes: content.attributes,
    connectorId: ctx.connectorId,
    ...timestampOf(message),
  })
  const result = await ctx.inbound(cim, { providerMessageId: message.id })
  await deps.readMarks.remember(result.id, message.id)
  return true
}

async function handleStatus(
  item: unknown,
  ctx: PluginContext<Dialog360Config>,
  deps: WebhookDeps,
): Promise<boolean> {
  const parsed = WaStatusSchema.safeParse(item)
  if (!parsed.success) {
    invalid('status', describeIssues(parsed.error), ctx, deps)
    return false
  }
  const status = parsed.data
  const update = receiptOf(status)
  if (update === undefined) {
    ctx.log.debug(
      { providerMessageId: status.id, status: status.status },
      'status ignored: not a delivery status',
    )
    return false
  }
  if (update.status === 'failed') {
    deps.providerErrors.inc({ code: update.reasonCode ?? 'unknown' })
  }
  const result = await ctx.receipt(update)
  if (result.status === 'stale') {
    ctx.log.debug(
      { providerMessageId: status.id, status: status.status },
      'status older than the known one; kept the newer',
    )
  }
  return true
}

// Webhook-level errors (e.g. a message WhatsApp could not process) reach no message; log them.
function reportErrors(value: WebhookValue, ctx: PluginContext<Dialog360Config>, deps: WebhookDeps) {
  for (const item of value.errors) {
    const error = WaErrorSchema.safeParse(item)
    const code =
      error.success && error.data.code !== undefined ? String(error.data.code) : 'unknown'
    deps.providerErrors.inc({ code })
    ctx.log.warn(
      { code, detail: error.success ? describeError(error.data) : undefined },
      'WhatsApp reported an error in a webhook',
    )
  }
}

function invalid(
  what: 'message' | 'status',
  problem: string,
  ctx: PluginContext<Dialog360Config>,
  deps: WebhookDeps,
) {
  deps.invalidEvents.inc({ kind: what })
  ctx.log.warn({ problem }, `a malformed ${what} in a 360dialog webhook was skipped`)
}

function timestampOf(message: WaMessage): { timestamp?: number } {
  const seconds = Number(message.timestamp)
  return Number.isFinite(seconds) && seconds > 0 ? { timestamp: seconds * 1000 } : {}
}
