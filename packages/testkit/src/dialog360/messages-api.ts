/**
 * @module
 * `POST /messages`: failures on demand first, then the D360-API-KEY, the Cloud API's checks, and
 * the answer `{messaging_product, contacts, messages: [{id: "wamid.…"}]}`. A body with
 * `status: "read"` is a read mark and answers `{success: true}`.
 */
import { defaultCode, graphError, invalidApiKey } from './graph-error.js'
import { wamid } from './ids.js'
import { checkSend } from './send-rules.js'
import type { Dialog360Channel, Dialog360Failure, SimulatedSend } from './types.js'

export interface MessagesApiDeps {
  channelByKey(key: string | null): Dialog360Channel | undefined
  /** The failure due for this request, if any. */
  nextFailure(): Dialog360Failure | undefined
  /** How a `timeout` failure holds the request; resolves early when the simulator closes. */
  hold(): Promise<void>
  windowClosed(channel: Dialog360Channel, customer: string): boolean
  /** Counts a send attempt (read marks are not counted). */
  attempt(): void
  accepted(send: SimulatedSend, channel: Dialog360Channel): void
  read(messageId: string): void
}

export function createMessagesApi(deps: MessagesApiDeps): (req: Request) => Promise<Response> {
  return async (req) => {
    const raw = await req.text()
    let body: unknown
    try {
      body = JSON.parse(raw)
    } catch {
      body = undefined
    }
    const json = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {}
    const isRead = json.status === 'read'
    if (!isRead) deps.attempt()
    const failure = deps.nextFailure()
    if (failure) return failureResponse(failure, deps.hold)
    const channel = deps.channelByKey(req.headers.get('d360-api-key'))
    if (!channel) return invalidApiKey()
    if (body === undefined) {
      return graphError({ status: 400, code: 100, message: 'The request body is not JSON' })
    }
    if (isRead) {
      if (typeof json.message_id !== 'string' || json.messaging_product !== 'whatsapp') {
        return graphError({
          status: 400,
          code: 100,
          message: '(#100) Invalid parameter',
          details: 'a read mark needs messaging_product "whatsapp" and message_id',
        })
      }
      deps.read(json.message_id)
      return Response.json({ success: true })
    }
    const rejection = checkSend(json, (customer) => deps.windowClosed(channel, customer))
    if (rejection) {
      return graphError({
        status: rejection.status,
        code: rejection.code,
        message: rejection.message,
        details: rejection.details,
      })
    }
    const to = String(json.to).replace(/^\+/, '')
    const type = typeof json.type === 'string' ? json.type : 'text'
    const send: SimulatedSend = {
      id: wamid(),
      from: channel.phoneNumber,
      to,
      type,
      text: textOf(type, json[type]),
      body: json,
      at: new Date(),
    }
    deps.accepted(send, channel)
    return Response.json({
      messaging_product: 'whatsapp',
      contacts: [{ input: String(json.to), wa_id: to }],
      messages: [{ id: send.id, message_status: 'accepted' }],
    })
  }
}

function textOf(type: string, payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined
  const p = payload as Record<string, unknown>
  if (type === 'text' && typeof p.body === 'string') return p.body
  if (typeof p.caption === 'string') return p.caption
  if (type === 'template' && typeof p.name === 'string') return p.name
  if (type === 'interactive') {
    const body = p.body as { text?: unknown } | undefined
    return typeof body?.text === 'string' ? body.text : undefined
  }
  return undefined
}

export async function failureResponse(
  failure: Dialog360Failure,
  hold: () => Promise<void>,
): Promise<Response> {
  if (failure.kind === 'timeout') {
    await hold()
    return graphError({ status: 504, code: 131000, message: 'Gateway Timeout' })
  }
  // A `reset` is normally handled before routing; answering 500 covers a reset set too late.
  const given = failure.kind === 'reset' ? {} : failure
  const status = given.status ?? 500
  const fallback = defaultCode(status)
  const res =
    status === 401 && given.code === undefined
      ? invalidApiKey()
      : graphError({
          status,
          code: given.code ?? fallback.code,
          message: given.message ?? fallback.message,
        })
  if (given.retryAfter !== undefined) res.headers.set('retry-after', String(given.retryAfter))
  return res
}
