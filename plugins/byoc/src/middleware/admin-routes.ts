/**
 * @module
 * The integration's Action, Reconnect and Remove URLs, and the thread close an agent's end of
 * conversation calls. CXone opens the first three in the admin's browser with a one-time token
 * (`?userId=&brandId=&token=&backUrl=`); a server-to-server call may bring a bearer token from
 * the token URL instead. The answer never waits for CXone: one-time tokens are verified in the
 * background, and only then does Reconnect or Remove take effect.
 */
import {
  errorResponse,
  json,
  type KeyValueStore,
  type Logger,
  type WebhookHandler,
  type WebhookRequest,
} from '@plugboard/sdk'
import type { Clock } from '../clock.js'
import type { Conversations } from '../conversations.js'
import type { DeClient } from '../de/client.js'
import type { Health } from '../health.js'
import type { IdleWatch } from '../idle.js'
import { CHANNEL_REMOVED_KEY } from '../send.js'
import { type IssuedTokens, unauthorized } from './bearer-tokens.js'
import { segmentAfter } from './reply-route.js'

export interface AdminRouteDeps {
  tokens: IssuedTokens
  de: DeClient
  store: KeyValueStore
  conversations: Conversations
  idle: IdleWatch
  health: Health
  clock: Clock
  log: Logger
  channelId: string
  /** Runs work after the answer; the connector's stop waits for it. */
  background(work: () => Promise<void>): void
}

interface ActionParams {
  userId?: number
  brandId?: number
  token?: string
  backUrl?: string
  channelId?: string
}

export function createAdminRoutes(deps: AdminRouteDeps) {
  const { log } = deps

  async function verify(params: ActionParams, what: string): Promise<boolean> {
    if (params.userId === undefined || params.brandId === undefined || !params.token) return false
    try {
      await deps.de.verifyOneTimeToken({
        userId: params.userId,
        brandId: params.brandId,
        token: params.token,
      })
      await deps.store.set('integration', {
        brandId: params.brandId,
        userId: params.userId,
        verifiedAt: deps.clock.now(),
      })
      return true
    } catch (error) {
      log.warn(
        { err: error, brandId: params.brandId, userId: params.userId },
        `${what}: CXone did not confirm the one-time token; nothing changed`,
      )
      return false
    }
  }

  /** Reconnect and Remove: at once with a bearer token, after verification with a one-time one. */
  function channelChange(name: 'reconnect' | 'remove', apply: () => Promise<void>): WebhookHandler {
    return async (req) => {
      const params = await paramsOf(req)
      if (params.channelId !== undefined && params.channelId !== deps.channelId) {
        return errorResponse(
          404,
          'CHANNEL_NOT_FOUND',
          `this connector serves CXone channel ${deps.channelId}, not ${params.channelId}`,
        )
      }
      const authorization = req.headers.get('authorization')
      // A browser call brings a one-time token instead; that is not a refused bearer token.
      const bearer = authorization ? await deps.tokens.verify(authorization) : 'missing'
      if (bearer === 'ok') {
        await apply()
        return json({
          channelId: deps.channelId,
          [name === 'remove' ? 'removed' : 'connected']: true,
        })
      }
      if (params.userId === undefined || params.brandId === undefined || !params.token) {
        return unauthorized(bearer)
      }
      deps.background(async () => {
        if (await verify(params, name)) await apply()
      })
      return finish(params, 202, { channelId: deps.channelId, accepted: name })
    }
  }

  const action: WebhookHandler = async (req) => {
    const params = await paramsOf(req)
    if (params.userId === undefined || params.brandId === undefined || !params.token) {
      return errorResponse(
        400,
        'INVALID_ACTION',
        'the action URL needs userId, brandId and token, as CXone sends them',
      )
    }
    log.info({ brandId: params.brandId, userId: params.userId }, 'CXone opened the action URL')
    deps.background(async () => {
      if (await verify(params, 'action'))
        log.info({ brandId: params.brandId }, 'CXone integration confirmed')
    })
    return finish(params, 200, { channelId: deps.channelId, status: 'ready' })
  }

  const reconnect = channelChange('reconnect', async () => {
    await deps.store.delete(CHANNEL_REMOVED_KEY)
    deps.health.onChannel({ removed: false })
    log.info({ channelId: deps.channelId }, 'CXone reconnected the channel')
  })

  const remove = channelChange('remove', async () => {
    await deps.store.set(CHANNEL_REMOVED_KEY, { at: deps.clock.now() })
    deps.health.onChannel({
      removed: true,
      detail: `CXone removed channel ${deps.channelId}; customer messages wait until it is reconnected`,
    })
    log.warn({ channelId: deps.channelId }, 'CXone removed the channel; customer messages wait')
  })

  /** The agent ended the thread: the customer's next message starts a new one (or gets the notice). */
  const closeThread: WebhookHandler = async (req) => {
    const check = await deps.tokens.verify(req.headers.get('authorization'))
    if (check !== 'ok') return unauthorized(check)
    const postId = req.params.postId ?? segmentAfter(req.path, 'posts')
    const thread = postId ? await deps.conversations.thread(postId) : undefined
    if (!thread) {
      return errorResponse(404, 'THREAD_NOT_FOUND', `no thread '${postId ?? ''}' on this connector`)
    }
    const closed = await deps.conversations.close(thread.threadId, 'agent')
    if (closed) {
      deps.idle.forget(thread)
      log.info({ threadId: thread.threadId }, 'the agent ended the thread')
    }
    return json({ idOnExternalPlatform: thread.threadId, state: 'closed' })
  }

  return { action, reconnect, remove, closeThread }
}

/** Query parameters, and body fields of a POST (JSON or form); unknown ones are ignored. */
async function paramsOf(req: WebhookRequest): Promise<ActionParams> {
  const values = new Map<string, string>()
  for (const [k, v] of req.query) values.set(k, v)
  if (req.method !== 'GET') {
    const body = (await req.text()).trim()
    if (body.startsWith('{')) {
      try {
        for (const [k, v] of Object.entries(JSON.parse(body) as Record<string, unknown>)) {
          if (typeof v === 'string' || typeof v === 'number') values.set(k, String(v))
        }
      } catch {
        // Not JSON after all: the query alone counts.
      }
    } else if (body.includes('=')) {
      for (const [k, v] of new URLSearchParams(body)) values.set(k, v)
    }
  }
  const int = (name: string) => {
    const text = values.get(name)
    return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined
  }
  return {
    ...(int('userId') === undefined ? {} : { userId: int('userId')! }),
    ...(int('brandId') === undefined ? {} : { brandId: int('brandId')! }),
    ...(values.get('token') ? { token: values.get('token')! } : {}),
    ...(values.get('backUrl') ? { backUrl: values.get('backUrl')! } : {}),
    ...(values.get('channelId') ? { channelId: values.get('channelId')! } : {}),
  }
}

/** Back to CXone's page when it gave one (http or https only), else a JSON answer. */
function finish(params: ActionParams, status: number, body: Record<string, unknown>): Response {
  if (params.backUrl && /^https?:\/\//i.test(params.backUrl)) {
    try {
      return new Response(null, {
        status: 302,
        headers: { location: new URL(params.backUrl).toString() },
      })
    } catch {
      // An unparsable backUrl: answer in JSON.
    }
  }
  return json(body, status)
}
