/**
 * @module
 * The Digital Engagement (DFO 3.0) endpoints a BYOC middleware calls: create a customer message,
 * report a message's status, sender actions, close a thread, verify a one-time token. Each
 * checks the bearer token first, then the request, and answers in CXone's shapes.
 */
import { randomUUID } from 'node:crypto'
import { Hono } from 'hono'
import { deError } from './errors.js'
import type { Records } from './records.js'
import type { CxoneMessage } from './types.js'

export interface DeApiDeps {
  records: Records
  channelId: () => string
  authorized(authorization: string | null): boolean
  /** Consumes a one-time token; the ids it was issued for, or undefined. */
  redeem(token: string): { brandId: number; userId: number } | undefined
}

const STATUSES = new Set(['delivered', 'seen', 'failed'])
const SENDER_ACTIONS = new Set(['isTypingOn', 'isTypingOff'])
const CONTENT_TYPES = new Set([
  'TEXT',
  'PLUGIN',
  'QUICK_REPLIES',
  'LIST_PICKER',
  'RICH_LINK',
  'ADAPTIVE_CARD',
])

type Json = Record<string, unknown>

export function createDeApi(deps: DeApiDeps): Hono {
  const app = new Hono()
  const channelPath = '/dfo/3.0/channels/:channelId'

  app.use('/dfo/*', async (c, next) => {
    if (!deps.authorized(c.req.header('authorization') ?? null)) {
      return deError(401, 'Access token is missing, invalid or expired', 'Unauthorized')
    }
    await next()
  })
  app.use(`${channelPath}/*`, async (c, next) => {
    if (c.req.param('channelId') !== deps.channelId()) {
      return deError(
        404,
        `Channel ${c.req.param('channelId')} not found`,
        'ChannelNotFound',
        'channelId',
      )
    }
    await next()
  })

  app.post(`${channelPath}/messages`, async (c) => {
    const body = await jsonBody(c.req.raw)
    if (!body) return deError(400, 'Body is not a JSON object', 'InvalidBody')
    const problem = checkNewMessage(body)
    if (problem) return deError(400, problem.message, 'ValidationFailed', problem.field)
    const thread = body.thread as Json
    const author = body.authorEndUserIdentity as Json
    const content = body.messageContent as Json
    const idOnExternalPlatform = String(body.idOnExternalPlatform)
    const threadId = String(thread.idOnExternalPlatform)
    if (
      deps.records.messages.items.some(
        (m) => m.direction === 'inbound' && m.idOnExternalPlatform === idOnExternalPlatform,
      )
    ) {
      return deError(
        409,
        `Message ${idOnExternalPlatform} already exists`,
        'MessageAlreadyExists',
        'idOnExternalPlatform',
      )
    }
    if (deps.records.threads.get(threadId)?.closed) {
      return deError(
        400,
        `Thread ${threadId} does not accept more messages`,
        'ThreadIsClosed',
        'thread',
      )
    }
    const message: CxoneMessage = {
      id: randomUUID(),
      idOnExternalPlatform,
      threadId,
      direction: 'inbound',
      text: String((content.payload as Json | undefined)?.text ?? ''),
      attachments: Array.isArray(body.attachments)
        ? (body.attachments as CxoneMessage['attachments'])
        : [],
      author: String(author.idOnExternalPlatform),
      createdAt: String(body.createdAtWithMilliseconds),
      raw: body,
    }
    deps.records.add(message, {
      id: threadId,
      channelId: deps.channelId(),
      customerId: message.author,
      ...(typeof thread.threadName === 'string' ? { threadName: thread.threadName } : {}),
    })
    return c.json(
      {
        consumerContact: {
          id: randomUUID(),
          threadIdOnExternalPlatform: threadId,
          channelId: deps.channelId(),
          status: 'new',
        },
        message: {
          id: message.id,
          idOnExternalPlatform,
          threadIdOnExternalPlatform: threadId,
          direction: 'inbound',
          messageContent: content,
          createdAt: new Date().toISOString(),
        },
      },
      201,
    )
  })

  app.put(`${channelPath}/messages/:messageId/status`, async (c) => {
    const body = await jsonBody(c.req.raw)
    const status = body?.status
    if (typeof status !== 'string' || !STATUSES.has(status)) {
      return deError(
        400,
        'status must be one of delivered, seen, failed',
        'ValidationFailed',
        'status',
      )
    }
    const message = deps.records.message(c.req.param('messageId'))
    if (message?.direction !== 'outbound') {
      return deError(
        404,
        `Message ${c.req.param('messageId')} not found`,
        'MessageNotFound',
        'messageId',
      )
    }
    message.status = status
    deps.records.statuses.push({
      messageId: c.req.param('messageId'),
      status,
      ...(typeof body?.reason === 'string' ? { reason: body.reason } : {}),
      ...(typeof body?.updatedAt === 'string' ? { updatedAt: body.updatedAt } : {}),
    })
    return c.json({})
  })

  app.post(`${channelPath}/threads/:threadId/sender-actions`, async (c) => {
    const body = await jsonBody(c.req.raw)
    const action = body?.action
    if (typeof action !== 'string' || !SENDER_ACTIONS.has(action)) {
      return deError(400, 'action must be isTypingOn or isTypingOff', 'ValidationFailed', 'action')
    }
    const thread = deps.records.threads.get(c.req.param('threadId'))
    if (!thread) return deError(404, 'Thread not found', 'ThreadNotFound', 'threadId')
    thread.senderActions.push(action)
    return c.body(null, 204)
  })

  app.put(`${channelPath}/threads/:threadId`, async (c) => {
    const body = await jsonBody(c.req.raw)
    if (body?.canAddMoreMessages !== false) {
      return deError(
        400,
        'only canAddMoreMessages: false is supported',
        'ValidationFailed',
        'canAddMoreMessages',
      )
    }
    if (!deps.records.threads.has(c.req.param('threadId'))) {
      return deError(404, 'Thread not found', 'ThreadNotFound', 'threadId')
    }
    deps.records.close(c.req.param('threadId'))
    return c.body(null, 204)
  })

  app.post('/dfo/3.0/one-time-token/verification', async (c) => {
    const body = await jsonBody(c.req.raw)
    const ids = typeof body?.token === 'string' ? deps.redeem(body.token) : undefined
    if (!ids || ids.brandId !== body?.brandId || ids.userId !== body?.userId) {
      return deError(400, 'The one-time token is invalid or was used', 'InvalidToken', 'token')
    }
    return c.json({
      accessToken: randomUUID(),
      brand: { id: ids.brandId },
      user: { id: ids.userId },
    })
  })

  app.get('/dfo/3.0/channels', (c) =>
    c.json([
      {
        id: deps.channelId(),
        idOnExternalPlatform: deps.channelId(),
        realExternalPlatformId: 'custom',
      },
    ]),
  )
  return app
}

function checkNewMessage(body: Json): { field: string; message: string } | undefined {
  const missing = (field: string) => ({ field, message: `${field} is required` })
  if (typeof body.idOnExternalPlatform !== 'string' || body.idOnExternalPlatform === '')
    return missing('idOnExternalPlatform')
  const thread = body.thread as Json | undefined
  if (typeof thread?.idOnExternalPlatform !== 'string' || thread.idOnExternalPlatform === '')
    return missing('thread.idOnExternalPlatform')
  const content = body.messageContent as Json | undefined
  if (typeof content?.type !== 'string' || !CONTENT_TYPES.has(content.type))
    return { field: 'messageContent.type', message: 'messageContent.type is not a known type' }
  if (typeof content.payload !== 'object' || content.payload === null)
    return missing('messageContent.payload')
  if (
    typeof body.createdAtWithMilliseconds !== 'string' ||
    Number.isNaN(Date.parse(body.createdAtWithMilliseconds))
  )
    return {
      field: 'createdAtWithMilliseconds',
      message: 'createdAtWithMilliseconds must be a date-time',
    }
  const author = body.authorEndUserIdentity as Json | undefined
  if (typeof author?.idOnExternalPlatform !== 'string' || author.idOnExternalPlatform === '')
    return missing('authorEndUserIdentity.idOnExternalPlatform')
  if (body.direction !== undefined && body.direction !== 'inbound' && body.direction !== 'outbound')
    return { field: 'direction', message: 'direction must be inbound or outbound' }
  return undefined
}

async function jsonBody(req: Request): Promise<Json | undefined> {
  try {
    const value: unknown = await req.json()
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Json)
      : undefined
  } catch {
    return undefined
  }
}
