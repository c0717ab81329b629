/**
 * @module
 * Agent and bot messages from CXone: the reply endpoint (`1.0/posts/{postId}/messages`, answering
 * `{idOnExternalPlatform}`) and the "DFO 3.0 Outbound API" variant
 * (`2.0/channel/{channelId}/outbound`). Each message is handed to the host for the customer's
 * channel and answered once it is durable; the request path makes no remote call.
 */
import { randomUUID } from 'node:crypto'
import {
  type ChannelInfo,
  errorResponse,
  json,
  type KeyValueStore,
  type Logger,
  type WebhookHandler,
  type WebhookRequest,
} from '@plugboard/sdk'
import type { Clock } from '../clock.js'
import { fromCxoneContent } from '../content.js'
import type { ConversationRef, Conversations, ThreadRecord } from '../conversations.js'
import type { CustomerLine } from '../customer.js'
import type { IdleWatch } from '../idle.js'
import { type AgentMessageRecord, agentMessageKey } from '../send.js'
import { type IssuedTokens, unauthorized } from './bearer-tokens.js'
import { type AgentMessage, AgentMessageSchema, fieldReport } from './payloads.js'

export interface ReplyRouteDeps {
  tokens: IssuedTokens
  conversations: Conversations
  toCustomer: CustomerLine
  idle: IdleWatch
  store: KeyValueStore
  clock: Clock
  log: Logger
  /** The channels routed to this connector. */
  channels(): readonly ChannelInfo[]
  channelId: string
  /** The routed channel that carries threads CXone starts. */
  defaultServiceIdentifier: string | undefined
}

// Receipts of an agent message can come days later (a phone switched off).
const RECORD_RETENTION_MS = 7 * 24 * 3600_000

type Parsed = { ok: true; message: AgentMessage } | { ok: false; response: Response }

export function createReplyRoutes(deps: ReplyRouteDeps) {
  const reported = new Set<string>()

  /** Bearer check and a tolerant parse; unknown or reshaped fields are logged once each. */
  async function read(req: WebhookRequest): Promise<Parsed> {
    const check = await deps.tokens.verify(req.headers.get('authorization'))
    if (check !== 'ok') return { ok: false, response: unauthorized(check) }
    let raw: unknown
    try {
      raw = JSON.parse(await req.text())
    } catch {
      return {
        ok: false,
        response: errorResponse(
          400,
          'INVALID_JSON',
          'the body is not JSON; send the message as application/json',
        ),
      }
    }
    const parsed = AgentMessageSchema.safeParse(raw)
    if (!parsed.success) {
      return {
        ok: false,
        response: errorResponse(400, 'INVALID_MESSAGE', 'the body must be a JSON object'),
      }
    }
    const fields = fieldReport(AgentMessageSchema, raw, parsed.data)
    const fresh = [
      ...fields.unknown.map((f) => `+${f}`),
      ...fields.changed.map((f) => `~${f}`),
    ].filter((f) => !reported.has(f))
    if (fresh.length > 0) {
      for (const f of fresh) reported.add(f)
      deps.log.info(
        { unknownFields: fields.unknown, changedFields: fields.changed, path: req.path },
        'CXone sent fields this plugin does not know (or in another shape); they were ignored',
      )
    }
    return { ok: true, message: parsed.data }
  }

  /** Hands the message to the host for the thread's customer; the first CIM id names it to CXone. */
  async function deliver(
    thread: ThreadRecord,
    message: AgentMessage,
  ): Promise<{ id: string } | Response> {
    const bodies = fromCxoneContent(message.messageContent, message.attachments)
    if (bodies.length === 0) {
      return errorResponse(
        400,
        'EMPTY_MESSAGE',
        'the message has no text and no attachments; nothing to send to the customer',
      )
    }
    if (!deps.channels().some((c) => c.serviceIdentifier === thread.serviceIdentifier)) {
      return errorResponse(
        409,
        'CHANNEL_NOT_ROUTED',
        `the thread's channel ${thread.serviceIdentifier} is no longer routed to this connector; route it here again (route: {connector: …})`,
      )
    }
    const author = message.authorUser ?? message.author
    const senderName =
      [author?.firstName, author?.lastName].filter(Boolean).join(' ') ||
      author?.nickname ||
      author?.name ||
      'CXone agent'
    const first = randomUUID()
    const cxoneId = message.id ?? message.idOnExternalPlatform
    const ids: string[] = []
    for (const [i, body] of bodies.entries()) {
      const id = i === 0 ? first : `${first}-${i + 1}`
      const record: AgentMessageRecord = {
        cxoneMessageId: ids[0] ?? id,
        threadId: thread.threadId,
      }
      await deps.store.set(agentMessageKey(id), record, { ttlMs: RECORD_RETENTION_MS })
      const result = await deps.toCustomer(thread, body, {
        id,
        sender: { id: 'cxone-agent', type: 'AGENT', senderName, additionalDetail: null },
        // CXone posting the same message again gets the same answer, and the customer one copy.
        ...(cxoneId ? { dedupeKey: `cxone:${cxoneId}:${i + 1}` } : {}),
      })
      ids.push(result.id)
    }
    const conversation = await deps.conversations.get(thread)
    if (conversation?.threadId === thread.threadId && conversation.state === 'open') {
      const spoke = { ...conversation, lastAgentAt: deps.clock.now() }
      await deps.conversations.save(spoke)
      deps.idle.agentSpoke(spoke)
    }
    return { id: ids[0]! }
  }

  const reply: WebhookHandler = async (req) => {
    const input = await read(req)
    if (!input.ok) return input.response
    const postId = req.params.postId ?? segmentAfter(req.path, 'posts')
    const thread = postId ? await deps.conversations.thread(postId) : undefined
    if (!thread) {
      return errorResponse(
        404,
        'THREAD_NOT_FOUND',
        `no thread '${postId ?? ''}' on this connector; threads are created by customer messages`,
      )
    }
    const delivered = await deliver(thread, input.message)
    if (delivered instanceof Response) return delivered
    return json({ idOnExternalPlatform: delivered.id })
  }

  const outbound: WebhookHandler = async (req) => {
    const input = await read(req)
    if (!input.ok) return input.response
    const message = input.message
    const channelId = req.params.channelId ?? segmentAfter(req.path, 'channel')
    if (channelId !== undefined && channelId !== deps.channelId) {
      return errorResponse(
        404,
        'CHANNEL_NOT_FOUND',
        `this connector serves CXone channel ${deps.channelId}, not ${channelId}`,
      )
    }
    const threadId = message.thread?.idOnExternalPlatform
    let thread = threadId ? await deps.conversations.thread(threadId) : undefined
    if (!thread) {
      const started = await startThread(message, threadId)
      if (started instanceof Response) return started
      thread = started
    }
    const delivered = await deliver(thread, message)
    if (delivered instanceof Response) return delivered
    return json({
      message: {
        idOnExternalPlatform: delivered.id,
        createdAtWithMilliseconds: new Date(deps.clock.now()).toISOString(),
        url: null,
      },
      thread: { idOnExternalPlatform: thread.threadId },
      endUserIdentities: [{ idOnExternalPlatform: thread.customerId }],
      recipients: [{ idOnExternalPlatform: thread.customerId, isPrimary: true, isPrivate: false }],
    })
  }

  /** A conversation CXone starts: the recipient on the default routed channel. */
  async function startThread(
    message: AgentMessage,
    threadId: string | undefined,
  ): Promise<ThreadRecord | Response> {
    const recipient =
      message.endUserRecipients?.find((r) => r.idOnExternalPlatform)?.idOnExternalPlatform ??
      message.recipients?.find((r) => r.idOnExternalPlatform)?.idOnExternalPlatform
    if (!recipient) {
      return errorResponse(
        400,
        'NO_RECIPIENT',
        'a new conversation needs endUserRecipients[0].idOnExternalPlatform (the customer address)',
      )
    }
    const serviceIdentifier = deps.defaultServiceIdentifier ?? deps.channels()[0]?.serviceIdentifier
    if (!serviceIdentifier) {
      return errorResponse(
        409,
        'NO_ROUTED_CHANNEL',
        'no channel is routed to this connector; route one here (route: {connector: …}) or set BYOC_DEFAULT_CHANNEL',
      )
    }
    const ref: ConversationRef = { serviceIdentifier, customerId: recipient }
    const conversation = await deps.conversations.open(ref, threadId ?? randomUUID())
    return { ...ref, threadId: conversation.threadId, createdAt: deps.clock.now() }
  }

  return { reply, outbound }
}

/** The path segment after `name` (the host fills `params`; a bare test context may not). */
export function segmentAfter(path: string, name: string): string | undefined {
  const parts = path.split('/')
  const at = parts.indexOf(name)
  const value = at >= 0 ? parts[at + 1] : undefined
  return value && !value.startsWith(':') ? decodeURIComponent(value) : undefined
}
