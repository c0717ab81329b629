import {
  type ConnectorInstance,
  type PluginContext,
  PluginError,
  type SendResult,
} from '@plugboard/sdk'
import type { Dialog360Config } from './config.js'
import type { Endpoints } from './endpoints.js'
import { dialog360Error } from './errors.js'
import { planOutbound } from './outbound.js'
import { SendAnswerSchema } from './payloads.js'
import type { ReadMarks } from './read-marks.js'

export interface SendDeps {
  endpoints: Endpoints
  readMarks: ReadMarks
  /** Told when 360dialog refuses the API key and when it accepts a message again. */
  onAuth(state: { ok: true } | { ok: false; detail: string }): void
}

/** The customer's WhatsApp id: the number's digits, as WhatsApp wants `to`. */
export function recipient(customerId: string): string | undefined {
  const digits = customerId.replace(/^whatsapp:/i, '').replace(/[\s().+-]/g, '')
  return /^[0-9]{6,15}$/.test(digits) ? digits : undefined
}

/** Sends through `POST {host}/messages` with the `D360-API-KEY` header and a Cloud API body. */
export function createSend(
  ctx: PluginContext<Dialog360Config>,
  deps: SendDeps,
): ConnectorInstance['send'] {
  const { apiKey, timeoutMs } = ctx.config
  const headers = {
    'D360-API-KEY': apiKey,
    'content-type': 'application/json',
    accept: 'application/json',
  }
  const publicMediaUrl = mediaUrlRewriter(ctx.env)
  const post = (body: Record<string, unknown>) =>
    ctx.request(deps.endpoints.messages, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      timeoutMs,
    })

  const markRead = async (messageId: string, given: string | undefined): Promise<SendResult> => {
    const wamid = given ?? (await deps.readMarks.lookup(messageId))
    if (wamid === undefined) {
      return { ignored: `no WhatsApp id known for customer message ${messageId}; not marked read` }
    }
    try {
      const res = await post({ messaging_product: 'whatsapp', status: 'read', message_id: wamid })
      if (res.status >= 200 && res.status < 300) return {}
      const error = await dialog360Error(res, '360dialog read mark')
      ctx.log.warn({ messageId, code: error.providerCode }, error.message)
      return { ignored: `WhatsApp did not take the read mark: ${error.message}` }
    } catch (error) {
      // A lost read mark costs a grey tick; it is not worth a retry or a dead letter.
      const reason = error instanceof Error ? error.message : String(error)
      ctx.log.warn({ messageId, reason }, 'could not mark a customer message read')
      return { ignored: `read mark failed: ${reason}` }
    }
  }

  return async (message): Promise<SendResult> => {
    const plan = planOutbound(message, { publicMediaUrl })
    if ('ignored' in plan) {
      ctx.log.debug({ messageId: message.id, type: message.body.type }, plan.ignored)
      return { ignored: plan.ignored }
    }
    if ('markRead' in plan)
      return markRead(plan.markRead.messageId, plan.markRead.providerMessageId)
    if (plan.degraded) {
      ctx.log.warn({ messageId: message.id, type: message.body.type }, plan.degraded)
    }
    const customerId = message.header.channelData.channelCustomerIdentifier
    const to = recipient(customerId)
    if (to === undefined) {
      throw PluginError.terminal(
        'INVALID_RECIPIENT',
        `channelCustomerIdentifier "${customerId}" of message ${message.id} is not a WhatsApp number; use the customer's number with country code, e.g. 4917612345678`,
        { providerCode: '131026' },
      )
    }
    const res = await post({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to,
      ...plan.content,
    })
    if (res.status < 200 || res.status >= 300) {
      const error = await dialog360Error(res, '360dialog messages API')
      if (error.kind === 'auth') deps.onAuth({ ok: false, detail: error.message })
      throw error
    }
    deps.onAuth({ ok: true })
    let answer: unknown
    try {
      answer = JSON.parse(await res.text())
    } catch {
      answer = undefined
    }
    const parsed = SendAnswerSchema.safeParse(answer)
    if (!parsed.success) {
      // 360dialog took the message; retrying would send it twice, so succeed without an id.
      ctx.log.warn(
        { messageId: message.id, status: res.status },
        '360dialog accepted the message but its answer has no message id; statuses cannot be matched',
      )
      return { status: 'queued' }
    }
    return { providerMessageId: parsed.data.messages[0]!.id, status: 'queued' }
  }
}

// Agents attach files from the file engine's internal URL; WhatsApp must fetch them from outside.
function mediaUrlRewriter(env: PluginContext<Dialog360Config>['env']): (url: string) => string {
  const internal = env.fileEngineUrl?.replace(/\/+$/, '')
  const external = env.fileEnginePublicUrl?.replace(/\/+$/, '')
  if (!internal || !external || internal === external) return (url) => url
  return (url) =>
    url.startsWith(`${internal}/`) ? `${external}${url.slice(internal.length)}` : url
}
