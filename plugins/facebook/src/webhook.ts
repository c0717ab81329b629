/**
 * @module
 * `POST` webhook: every entry and every event of a signed batch. Meta gets its 200 only once
 * every customer message is durable and every receipt recorded; a failure propagates, the host
 * answers 5xx and Meta sends the batch again (the host drops what it already took, by `mid`).
 */
import {
  type Counter,
  errorResponse,
  type PluginContext,
  type WebhookHandler,
} from '@plugboard/sdk'
import type { FacebookConfig } from './config.js'
import { type EventParties, mediaOf, messageItems, postbackItem } from './inbound.js'
import { type MediaDeps, resolveMedia } from './media.js'
import {
  describeIssues,
  EntrySchema,
  EnvelopeSchema,
  EventSchema,
  type MessengerEvent,
} from './payloads.js'
import { reportWatermark, type SentLog, type WatermarkOutcome } from './sent-log.js'
import { readSignedBody, type WebhookAuthDeps } from './webhook-auth.js'
import type { WindowStore } from './window.js'

export interface WebhookDeps {
  auth: WebhookAuthDeps
  media: MediaDeps
  windows: WindowStore
  sentLog: SentLog
  /** Events by kind: message, postback, delivery, read, echo, other, invalid. */
  events: Counter
}

/** What an event is about; `other` names its payload fields for the log. */
export type EventKind =
  | 'echo'
  | 'message'
  | 'postback'
  | 'delivery'
  | 'read'
  | 'referral'
  | { other: string[] }

const ENVELOPE_KEYS: ReadonlySet<string> = new Set(['sender', 'recipient', 'timestamp'])

export function eventKind(event: MessengerEvent): EventKind {
  if (event.message?.is_echo) return 'echo'
  if (event.message) return 'message'
  if (event.postback) return 'postback'
  if (event.delivery) return 'delivery'
  if (event.read) return 'read'
  if (event.referral) return 'referral'
  return { other: Object.keys(event).filter((k) => !ENVELOPE_KEYS.has(k)) }
}

export function eventHandler(
  ctx: PluginContext<FacebookConfig>,
  deps: WebhookDeps,
): WebhookHandler {
  const handle = createEventDispatch(ctx, deps)
  return async (req) => {
    const signed = await readSignedBody(req, deps.auth)
    if (!signed.ok) return signed.response
    const envelope = EnvelopeSchema.safeParse(signed.body)
    if (!envelope.success) {
      return errorResponse(400, 'INVALID_PAYLOAD', describeIssues(envelope.error))
    }
    if (envelope.data.object !== 'page') {
      // Another product of the same app (Instagram, WhatsApp): nothing for this plugin.
      ctx.log.warn(
        { object: envelope.data.object },
        'Messenger webhook for another object than "page" ignored; subscribe this URL to Page events only',
      )
      return received()
    }
    for (const rawEntry of envelope.data.entry) {
      const entry = EntrySchema.safeParse(rawEntry)
      if (!entry.success) {
        ctx.log.warn(
          { issues: describeIssues(entry.error) },
          'Messenger webhook entry skipped: malformed',
        )
        deps.events.inc({ kind: 'invalid' })
        continue
      }
      if (entry.data.standby?.length) {
        // Another app owns the conversation (handover protocol); its events are not ours to act on.
        ctx.log.debug(
          { page: entry.data.id, events: entry.data.standby.length },
          'standby events ignored',
        )
      }
      for (const rawEvent of entry.data.messaging ?? []) {
        const event = EventSchema.safeParse(rawEvent)
        if (!event.success) {
          ctx.log.warn(
            { page: entry.data.id, issues: describeIssues(event.error) },
            'Messenger event skipped: malformed',
          )
          deps.events.inc({ kind: 'invalid' })
          continue
        }
        await handle(event.data, entry.data.id)
      }
    }
    return received()
  }
}

function received(): Response {
  return new Response('EVENT_RECEIVED', {
    status: 200,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
  })
}

function createEventDispatch(ctx: PluginContext<FacebookConfig>, deps: WebhookDeps) {
  const report = (outcome: WatermarkOutcome) => reportWatermark(ctx, outcome)

  return async (event: MessengerEvent, entryPageId: string): Promise<void> => {
    const kind = eventKind(event)
    const label = typeof kind === 'string' ? kind : 'other'
    deps.events.inc({ kind: label })
    // Customer events name the page as recipient; only echoes have it the other way round.
    const parties: EventParties = {
      pageId: kind === 'echo' ? event.sender.id : event.recipient.id || entryPageId,
      psid: kind === 'echo' ? event.recipient.id : event.sender.id,
      timestamp: event.timestamp ?? undefined,
    }
    switch (kind) {
      case 'echo':
        ctx.log.debug({ page: parties.pageId }, 'message echo ignored')
        return
      case 'message': {
        const message = event.message!
        // The window first: an answer may come back before this handler returns.
        await deps.windows.touch(parties.pageId, parties.psid, parties.timestamp ?? Date.now())
        const media = await Promise.all(mediaOf(message).map((m) => resolveMedia(m, deps.media)))
        for (const item of messageItems(message, media, parties, ctx.connectorId)) {
          await ctx.inbound(item.message, { providerMessageId: item.providerMessageId })
        }
        return
      }
      case 'postback': {
        await deps.windows.touch(parties.pageId, parties.psid, parties.timestamp ?? Date.now())
        const item = postbackItem(event.postback!, parties, ctx.connectorId)
        await ctx.inbound(item.message, { providerMessageId: item.providerMessageId })
        return
      }
      case 'delivery': {
        const { watermark, mids } = event.delivery!
        await deps.sentLog.delivery(parties.pageId, parties.psid, watermark, mids ?? [], report)
        return
      }
      case 'read':
        await deps.sentLog.read(parties.pageId, parties.psid, event.read!.watermark, report)
        return
      case 'referral':
        // The customer opened the conversation from a link or an ad: the window opens too.
        ctx.log.info({ page: parties.pageId, source: event.referral?.source }, 'Messenger referral')
        await deps.windows.touch(parties.pageId, parties.psid, parties.timestamp ?? Date.now())
        return
      default:
        ctx.log.info(
          { page: parties.pageId, fields: kind.other },
          'Messenger event of a kind this plugin does not handle; ignored',
        )
    }
  }
}
