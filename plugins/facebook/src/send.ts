/**
 * @module
 * The Send API: `POST {apiBaseUrl}/me/messages?access_token=<page token>`, with the messaging
 * type the window allows, each part of a plan in order, paced per page.
 */
import {
  type CimMessage,
  type ConnectorInstance,
  type HealthState,
  isPluginError,
  type PluginContext,
  PluginError,
  type SendInfo,
  type SendResult,
} from '@plugboard/sdk'
import type { GraphMessage } from './buttons.js'
import { type FacebookConfig, pageToken } from './config.js'
import { graphError, isWindowError, scrub } from './errors.js'
import { planOutbound, type SenderAction } from './outbound.js'
import { createPagePacers } from './pacer.js'
import { SendAnswerSchema } from './payloads.js'
import { reportWatermark, type SentLog } from './sent-log.js'
import { type MessagingPolicy, messagingPolicy, type WindowStore } from './window.js'

export interface SendDeps {
  windows: WindowStore
  sentLog: SentLog
  /** Told when Graph refuses a page's token and when it accepts a call for the page again. */
  onAuth(pageId: string, state: { ok: true } | { ok: false; detail: string }): void
  now?: () => number
}

/** Progress of a message sent in several parts, so a retry resumes instead of repeating. */
interface Progress {
  done: number
  mids: string[]
}

const PSID = /^\d+$/
const PROGRESS_TTL_MS = 2 * 24 * 3600_000

type Messaging =
  | { messaging_type: 'RESPONSE' }
  | { messaging_type: 'MESSAGE_TAG'; tag: 'HUMAN_AGENT' }

const RESPONSE: Messaging = { messaging_type: 'RESPONSE' }
const HUMAN_AGENT: Messaging = { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' }

export function createSend(
  ctx: PluginContext<FacebookConfig>,
  deps: SendDeps,
): ConnectorInstance['send'] {
  const { config } = ctx
  const endpoint = `${config.apiBaseUrl.replace(/\/+$/, '')}/me/messages`
  const pace = createPagePacers(config.sendRatePerSecond, ctx.signal)
  const publicMediaUrl = mediaUrlRewriter(ctx.env)
  const now = deps.now ?? Date.now

  /** One Send API call; resolves with the message id Meta gave, if any. */
  async function call(
    pageId: string,
    token: string,
    payload: Record<string, unknown>,
    heavy: boolean,
  ): Promise<string | undefined> {
    await pace(pageId, heavy)
    let res: Awaited<ReturnType<typeof ctx.request>>
    try {
      // The token travels in the query, so this URL is never logged.
      res = await ctx.request(`${endpoint}?access_token=${encodeURIComponent(token)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(payload),
        timeoutMs: config.timeoutMs,
      })
    } catch (error) {
      throw withoutSecrets(error, token)
    }
    if (res.status < 200 || res.status >= 300) {
      const error = await graphError(res, 'Messenger Send API', [token])
      if (error.kind === 'auth') deps.onAuth(pageId, { ok: false, detail: error.message })
      throw error
    }
    deps.onAuth(pageId, { ok: true })
    let answer: unknown
    try {
      answer = JSON.parse(await res.text())
    } catch {
      answer = undefined
    }
    const parsed = SendAnswerSchema.safeParse(answer)
    return parsed.success ? (parsed.data.message_id ?? undefined) : undefined
  }

  async function sendAction(
    message: CimMessage,
    action: SenderAction,
    target: { pageId: string; psid: string; token: string },
    policy: MessagingPolicy,
  ): Promise<SendResult> {
    if (policy.kind === 'closed' || policy.kind === 'human-agent') {
      return { ignored: `${action} not sent: the 24-hour window is closed` }
    }
    try {
      await call(
        target.pageId,
        target.token,
        { recipient: { id: target.psid }, sender_action: action },
        false,
      )
      return {}
    } catch (error) {
      // A typing indicator or "seen" that comes late is wrong, and it must never hold up the
      // agent's messages queued behind it: it is tried once.
      const reason = isPluginError(error) ? `${error.code}: ${error.message}` : String(error)
      ctx.log.warn(
        { messageId: message.id, action, reason },
        'Messenger sender action not delivered',
      )
      return { ignored: `${action} not delivered (${isPluginError(error) ? error.code : 'ERROR'})` }
    }
  }

  return async (message: CimMessage, info: SendInfo): Promise<SendResult> => {
    const plan = planOutbound(message, { publicMediaUrl })
    if ('ignored' in plan) {
      ctx.log.debug({ messageId: message.id, type: message.body.type }, plan.ignored)
      return { ignored: plan.ignored }
    }
    const { serviceIdentifier: pageId, channelCustomerIdentifier: psid } =
      message.header.channelData
    if (!PSID.test(psid)) {
      throw PluginError.terminal(
        'INVALID_RECIPIENT',
        `channelCustomerIdentifier "${psid}" of message ${message.id} is not a page-scoped id (PSID): Messenger customers are addressed by the digits Meta gives in sender.id`,
        { providerCode: '100' },
      )
    }
    const token = pageToken(config, pageId)
    if (!token) {
      throw PluginError.auth(
        'FACEBOOK_NO_PAGE_TOKEN',
        `no page access token for page ${pageId}: add it to FACEBOOK-PAGE-TOKENS (pageTokens) or set FACEBOOK-API-KEY`,
      )
    }
    const byAgent = message.header.sender.type === 'AGENT'
    const policy = messagingPolicy({
      lastMessage: await deps.windows.lastMessage(pageId, psid),
      now: now(),
      humanAgentTag: config.humanAgentTag,
      byAgent,
    })
    if (plan.kind === 'action')
      return sendAction(message, plan.action, { pageId, psid, token }, policy)
    if (policy.kind === 'closed') {
      throw PluginError.terminal(
        'FACEBOOK_OUTSIDE_WINDOW',
        `message ${message.id} to ${psid} on page ${pageId} not sent: ${policy.reason}`,
        { providerCode: '10' },
      )
    }
    if (plan.degraded) {
      ctx.log.warn({ messageId: message.id, type: message.body.type }, plan.degraded)
    }
    let messaging = policy.kind === 'human-agent' ? HUMAN_AGENT : RESPONSE
    // Without a record of the window, Meta's refusal tells; an agent's reply then gets the tag.
    const mayTag = policy.kind === 'response' && !policy.known && config.humanAgentTag && byAgent

    const parts = plan.parts
    const progressKey = `progress:${info.idempotencyKey}`
    const progress: Progress = (parts.length > 1
      ? await ctx.store.get<Progress>(progressKey)
      : undefined) ?? {
      done: 0,
      mids: [],
    }
    let lastAt = now()
    for (let i = progress.done; i < parts.length; i++) {
      const part = parts[i]!
      const payload = (m: Messaging) => ({ recipient: { id: psid }, ...m, message: part })
      lastAt = now()
      let mid: string | undefined
      try {
        mid = await call(pageId, token, payload(messaging), isHeavy(part))
      } catch (error) {
        if (!(mayTag && messaging === RESPONSE && isWindowRefusal(error))) throw error
        ctx.log.info(
          { messageId: message.id },
          'outside the 24-hour window; sending with the HUMAN_AGENT tag',
        )
        messaging = HUMAN_AGENT
        lastAt = now()
        mid = await call(pageId, token, payload(messaging), isHeavy(part))
      }
      progress.done = i + 1
      if (mid) progress.mids.push(mid)
      if (progress.done < parts.length) await saveQuietly(progressKey, progress)
    }
    if (parts.length > 1) await ctx.store.delete(progressKey).catch(() => undefined)
    const providerMessageId = progress.mids.at(-1)
    if (providerMessageId === undefined) {
      // Meta took the message; retrying would send it twice, so succeed without an id.
      ctx.log.warn(
        { messageId: message.id },
        'Messenger accepted the message but its answer has no message_id; receipts cannot be matched',
      )
      return { status: 'sent' }
    }
    try {
      await deps.sentLog.record(pageId, psid, { mid: providerMessageId, at: lastAt }, (outcome) =>
        reportWatermark(ctx, outcome),
      )
    } catch (error) {
      ctx.log.warn(
        { messageId: message.id, reason: String(error) },
        'could not keep the sent message for delivery and read watermarks; its receipts will be missing',
      )
    }
    return { providerMessageId, status: 'sent' }
  }

  async function saveQuietly(key: string, progress: Progress): Promise<void> {
    try {
      await ctx.store.set(key, progress, { ttlMs: PROGRESS_TTL_MS })
    } catch (error) {
      ctx.log.warn({ reason: String(error) }, 'could not save the progress of a message in parts')
    }
  }
}

function isHeavy(part: GraphMessage): boolean {
  const type = part.attachment?.type
  return type === 'audio' || type === 'video'
}

function isWindowRefusal(error: unknown): boolean {
  const detail = (error as { detail?: { code?: string; subcode?: string } } | undefined)?.detail
  return detail !== undefined && isWindowError(detail)
}

/** A transport error with the token scrubbed from its message and its cause dropped. */
function withoutSecrets(error: unknown, token: string): PluginError {
  if (isPluginError(error)) {
    return new PluginError(error.kind, error.code, scrub(error.message, [token]), {
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
      ...(error.status === undefined ? {} : { status: error.status }),
    })
  }
  return PluginError.retryable('NETWORK_ERROR', scrub(String(error), [token]))
}

/** Health from Graph's last answers per page: degraded while it refuses a page's token. */
export function createAuthHealth() {
  const refused = new Map<string, string>()
  return {
    onAuth(pageId: string, state: { ok: true } | { ok: false; detail: string }) {
      if (state.ok) refused.delete(pageId)
      else refused.set(pageId, state.detail)
    },
    health(): { state: HealthState; detail?: string } {
      if (refused.size === 0) return { state: 'up' }
      const detail = [...refused].map(([page, why]) => `page ${page}: ${why}`).join('; ')
      return { state: 'degraded', detail }
    },
  }
}

// Agents attach files from the file engine's internal URL; Meta must fetch them from outside.
function mediaUrlRewriter(env: PluginContext<FacebookConfig>['env']): (url: string) => string {
  const internal = env.fileEngineUrl?.replace(/\/+$/, '')
  const external = env.fileEnginePublicUrl?.replace(/\/+$/, '')
  if (!internal || !external || internal === external) return (url) => url
  return (url) =>
    url.startsWith(`${internal}/`) ? `${external}${url.slice(internal.length)}` : url
}
