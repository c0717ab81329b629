/**
 * @module
 * `POST /{version}/me/messages` (and `/{version}/{page-id}/messages`): failures on demand first,
 * then the access token, the body's checks, the customer and the messaging window, and Meta's
 * answer `{recipient_id, message_id}`.
 */
import type { Conversations } from './conversations.js'
import { failureResponse, type GraphFailure, graphErrorResponse } from './errors.js'
import { messageId } from './ids.js'
import { checkSendBody, type Refusal } from './send-rules.js'
import type { GraphPage, GraphSenderAction, GraphSentMessage } from './types.js'

const DAY = 24 * 3600_000

export interface SendApiDeps {
  pages: readonly GraphPage[]
  conversations: Conversations
  /** Whether RESPONSE needs a customer message in the last 24 hours (and HUMAN_AGENT 7 days). */
  enforceWindow: () => boolean
  nextFailure(): GraphFailure | undefined
  /** How a `timeout` failure holds the request; resolves early when the simulator closes. */
  hold(): Promise<void>
  now(): number
  accepted(message: GraphSentMessage): void
  action(record: GraphSenderAction): void
}

export function createSendApi(
  deps: SendApiDeps,
): (req: Request, pathPageId: string | undefined) => Promise<Response> {
  return async (req, pathPageId) => {
    const failure = deps.nextFailure()
    if (failure) return failureResponse(failure, deps.hold)
    const token = accessTokenOf(req)
    const page = deps.pages.find((p) => p.accessToken === token)
    if (!token || !page) {
      return graphErrorResponse(400, {
        code: 190,
        message: token
          ? 'Invalid OAuth access token - Cannot parse access token'
          : 'An active access token must be used to query information about the current user.',
      })
    }
    if (pathPageId !== undefined && pathPageId !== page.id) {
      return graphErrorResponse(400, {
        code: 200,
        message: '(#200) The page access token does not belong to this page',
      })
    }
    let body: unknown
    try {
      body = JSON.parse(await req.text())
    } catch {
      return refuse({ status: 400, code: 100, message: '(#100) The request body is not JSON' })
    }
    const problem = checkSendBody(body)
    if (problem) return refuse(problem)
    const b = body as Record<string, unknown> & { recipient: { id: string } }
    const psid = b.recipient.id
    const conversation = deps.conversations.get(page.id, psid)
    if (!conversation || conversation.lastInboundAt === undefined) {
      return refuse({
        status: 400,
        code: 100,
        subcode: 2018001,
        message: '(#100) No matching user found',
      })
    }
    if (conversation.blocked) {
      return refuse({
        status: 400,
        code: 551,
        subcode: 1545041,
        message: "(#551) This person isn't available right now.",
      })
    }
    const now = deps.now()
    const age = now - conversation.lastInboundAt
    const tagged = b.messaging_type === 'MESSAGE_TAG'
    const allowed = tagged && b.tag === 'HUMAN_AGENT' ? 7 * DAY : DAY
    if (deps.enforceWindow() && age > allowed) {
      return refuse({
        status: 400,
        code: 10,
        subcode: 2018278,
        message:
          '(#10) This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview',
      })
    }
    if (b.sender_action !== undefined) {
      deps.action({
        pageId: page.id,
        recipientId: psid,
        action: String(b.sender_action),
        timestamp: now,
      })
      return Response.json({ recipient_id: psid })
    }
    const message = b.message as Record<string, unknown>
    const sent: GraphSentMessage = {
      mid: messageId(),
      pageId: page.id,
      recipientId: psid,
      messagingType: String(b.messaging_type),
      tag: typeof b.tag === 'string' ? b.tag : undefined,
      message,
      text: typeof message.text === 'string' ? message.text : undefined,
      attachment: message.attachment as GraphSentMessage['attachment'],
      quickReplies: message.quick_replies as GraphSentMessage['quickReplies'],
      timestamp: now,
    }
    conversation.sent.push({ mid: sent.mid, timestamp: now })
    deps.accepted(sent)
    return Response.json({ recipient_id: psid, message_id: sent.mid })
  }
}

/** The token of `?access_token=` or of `Authorization: Bearer|OAuth`. */
function accessTokenOf(req: Request): string | undefined {
  const query = new URL(req.url).searchParams.get('access_token')
  if (query) return query
  const match = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(req.headers.get('authorization') ?? '')
  return match?.[1]
}

function refuse(refusal: Refusal): Response {
  return graphErrorResponse(refusal.status, {
    code: refusal.code,
    message: refusal.message,
    ...(refusal.subcode === undefined ? {} : { subcode: refusal.subcode }),
  })
}
