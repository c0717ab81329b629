/**
 * @module
 * CXone's side of the BYOC integration: it gets a bearer token from the middleware's token URL
 * with the integration's client credentials, posts agent replies to the Integration Box URL, and
 * on a 401 fetches a new token and tries once more, as CXone does.
 */
import { randomUUID } from 'node:crypto'
import type { HttpAnswer, Poster } from '../simulator-http.js'
import type { Tasks } from '../simulator-tasks.js'
import type { Records } from './records.js'
import type { AgentCall, AgentReply, CxoneAgent, CxoneMessage } from './types.js'

export interface AgentDeps {
  poster: Poster
  tasks: Tasks
  records: Records
  channelId: () => string
}

interface Integration {
  boxUrl: string
  clientId: string
  clientSecret: string
  tokenBody: 'json' | 'form'
}

export function createAgent(deps: AgentDeps): CxoneAgent {
  const calls: AgentCall[] = []
  let integration: Integration | undefined
  let token: string | undefined
  let tokenFetches = 0
  let unauthorized = 0

  const box = (): Integration => {
    if (!integration)
      throw new Error(
        'CXone simulator agent: call agent.connect({boxUrl, clientId, clientSecret}) first',
      )
    return integration
  }

  async function record(
    kind: AgentCall['kind'],
    url: string,
    send: () => Promise<HttpAnswer>,
  ): Promise<HttpAnswer> {
    const call: AgentCall = { kind, url }
    calls.push(call)
    try {
      const answer = await deps.tasks.track(send())
      call.status = answer.status
      call.body = answer.body
      return answer
    } catch (error) {
      call.error = error instanceof Error ? error.message : String(error)
      throw error
    }
  }

  async function fetchToken(): Promise<string> {
    const { boxUrl, clientId, clientSecret, tokenBody } = box()
    const url = `${boxUrl}/1.0/token`
    const fields = {
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    }
    tokenFetches++
    const answer = await record('token', url, () =>
      tokenBody === 'form'
        ? deps.poster.post(url, new URLSearchParams(fields).toString(), {
            'content-type': 'application/x-www-form-urlencoded',
          })
        : deps.poster.post(url, JSON.stringify(fields)),
    )
    const access = (answer.body as { access_token?: unknown } | undefined)?.access_token
    if (answer.status !== 200 || typeof access !== 'string') {
      throw new Error(
        `CXone simulator agent: the token URL answered ${answer.status}: ${JSON.stringify(answer.body)}`,
      )
    }
    token = access
    return access
  }

  /** POSTs with the held token; a 401 gets a new token and one more try. */
  async function authorizedPost(
    kind: AgentCall['kind'],
    url: string,
    body: unknown,
  ): Promise<HttpAnswer> {
    const send = (bearer: string) =>
      record(kind, url, () =>
        deps.poster.post(url, JSON.stringify(body), { authorization: `Bearer ${bearer}` }),
      )
    let answer = await send(token ?? (await fetchToken()))
    if (answer.status === 401) {
      unauthorized++
      answer = await send(await fetchToken())
      if (answer.status === 401) unauthorized++
    }
    return answer
  }

  function replyBody(
    threadId: string | undefined,
    reply: AgentReply,
    id: string,
  ): Record<string, unknown> {
    const [firstName, ...rest] = (reply.agentName ?? 'Alex Agent').split(' ')
    const thread = threadId ? deps.records.threads.get(threadId) : undefined
    return {
      id,
      ...(threadId ? { thread: { idOnExternalPlatform: threadId } } : {}),
      messageContent: { type: 'TEXT', payload: { text: reply.text ?? '' } },
      attachments: reply.attachments ?? [],
      ...(thread
        ? {
            recipients: [
              {
                idOnExternalPlatform: thread.customerId,
                name: thread.threadName ?? thread.customerId,
                isPrimary: true,
                isPrivate: false,
              },
            ],
          }
        : {}),
      authorUser: { id: 1, firstName, lastName: rest.join(' ') },
      brand: { id: 1 },
      createdAt: new Date().toISOString(),
      ...reply.extra,
    }
  }

  /** Records an agent message the middleware took, so status updates can find it. */
  function remember(
    threadId: string,
    customerId: string,
    idOnExternalPlatform: string,
    id: string,
    reply: AgentReply,
    raw: unknown,
  ): CxoneMessage {
    const message: CxoneMessage = {
      id,
      idOnExternalPlatform,
      threadId,
      direction: 'outbound',
      text: reply.text ?? '',
      attachments: reply.attachments ?? [],
      author: reply.agentName ?? 'Alex Agent',
      createdAt: new Date().toISOString(),
      raw,
    }
    deps.records.add(message, { id: threadId, channelId: deps.channelId(), customerId })
    return message
  }

  return {
    connect(given) {
      integration = {
        ...given,
        boxUrl: given.boxUrl.replace(/\/+$/, ''),
        tokenBody: given.tokenBody ?? 'json',
      }
      token = undefined
    },
    async reply(threadId, input) {
      const reply = typeof input === 'string' ? { text: input } : input
      const id = randomUUID()
      const body = replyBody(threadId, reply, id)
      const answer = await authorizedPost(
        'reply',
        `${box().boxUrl}/1.0/posts/${encodeURIComponent(threadId)}/messages`,
        body,
      )
      const named = (answer.body as { idOnExternalPlatform?: unknown } | undefined)
        ?.idOnExternalPlatform
      if (answer.status !== 200 || typeof named !== 'string') return { answer }
      const customerId = deps.records.threads.get(threadId)?.customerId ?? ''
      return {
        answer,
        idOnExternalPlatform: named,
        message: remember(threadId, customerId, named, id, reply, body),
      }
    },
    async replyOutbound(input) {
      const id = randomUUID()
      const body = {
        ...replyBody(input.threadId, input, id),
        ...(input.recipient
          ? {
              endUserRecipients: [
                {
                  idOnExternalPlatform: input.recipient,
                  name: input.recipient,
                  isPrimary: true,
                  isPrivate: false,
                },
              ],
            }
          : {}),
      }
      const url = `${box().boxUrl}/2.0/channel/${encodeURIComponent(deps.channelId())}/outbound`
      const answer = await authorizedPost('outbound', url, body)
      const result = answer.body as
        | {
            message?: { idOnExternalPlatform?: unknown }
            thread?: { idOnExternalPlatform?: unknown }
          }
        | undefined
      const named = result?.message?.idOnExternalPlatform
      const threadId = result?.thread?.idOnExternalPlatform
      if (answer.status !== 200 || typeof named !== 'string' || typeof threadId !== 'string')
        return { answer }
      const customerId = input.recipient ?? deps.records.threads.get(threadId)?.customerId ?? ''
      return {
        answer,
        idOnExternalPlatform: named,
        message: remember(threadId, customerId, named, id, input, body),
      }
    },
    async endThread(threadId) {
      const answer = await authorizedPost(
        'close',
        `${box().boxUrl}/1.0/posts/${encodeURIComponent(threadId)}/close`,
        {
          thread: { idOnExternalPlatform: threadId },
          reason: 'agent-ended',
        },
      )
      if (answer.status === 200) deps.records.close(threadId)
      return answer
    },
    forgetToken() {
      token = undefined
    },
    get calls() {
      return calls
    },
    get tokenFetches() {
      return tokenFetches
    },
    get unauthorized() {
      return unauthorized
    },
  }
}
