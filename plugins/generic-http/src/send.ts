import {
  type ConnectorInstance,
  classifyHttpStatus,
  type HttpResponse,
  type PluginContext,
  PluginError,
  parseRetryAfter,
} from '@plugboard/sdk'
import type { GenericHttpConfig } from './config.js'
import { toOutboundPayload } from './outbound.js'
import { SendResponseSchema } from './payloads.js'
import { SIGNATURE_HEADER, signBody } from './signature.js'

/** POSTs outbound messages to `outboundUrl` and turns the answer into a result or a PluginError. */
export function createSend(ctx: PluginContext<GenericHttpConfig>): ConnectorInstance['send'] {
  return async (message, info) => {
    const mapped = toOutboundPayload(message, info.idempotencyKey)
    if ('ignored' in mapped) {
      ctx.log.debug({ messageId: message.id, type: message.body.type }, mapped.ignored)
      return { ignored: mapped.ignored }
    }
    const { outboundUrl, sharedSecret, timeoutMs } = ctx.config
    const body = JSON.stringify(mapped.payload)
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'idempotency-key': info.idempotencyKey,
    }
    if (sharedSecret !== undefined) headers[SIGNATURE_HEADER] = signBody(sharedSecret, body)
    const res = await ctx.request(outboundUrl, { method: 'POST', headers, body, timeoutMs })
    const kind = classifyHttpStatus(res.status)
    if (kind !== 'ok') throw await sendError(res, kind, outboundUrl)
    const providerMessageId = await providerId(res)
    if (providerMessageId === undefined) {
      // Receivers that keep no ids of their own can send receipts under the key we gave them.
      ctx.log.warn(
        { messageId: message.id },
        'outbound answer has no "id"; using the idempotency key',
      )
    }
    return { providerMessageId: providerMessageId ?? info.idempotencyKey, status: 'sent' }
  }
}

/** The PluginError for a non-2xx answer, with the receiver's own error code when it gave one. */
export async function sendError(
  res: HttpResponse,
  kind: Exclude<ReturnType<typeof classifyHttpStatus>, 'ok'>,
  url: string,
): Promise<PluginError> {
  const detail = await errorDetail(res)
  const retryAfterMs = parseRetryAfter(header(res, 'retry-after'))
  const where = redactUrl(url)
  const message = `POST ${where} answered ${res.status}${detail.message ? `: ${detail.message}` : ''}`
  const options = { status: res.status, providerCode: detail.code, retryAfterMs }
  if (kind === 'auth') return PluginError.auth('PROVIDER_AUTH', message, options)
  if (kind === 'terminal') return PluginError.terminal('PROVIDER_REJECTED', message, options)
  const code = res.status === 429 ? 'PROVIDER_THROTTLED' : 'PROVIDER_UNAVAILABLE'
  return PluginError.retryable(code, message, options)
}

async function providerId(res: HttpResponse): Promise<string | undefined> {
  const parsed = SendResponseSchema.safeParse(await readJson(res))
  return parsed.success ? String(parsed.data.id) : undefined
}

async function errorDetail(res: HttpResponse): Promise<{ code?: string; message?: string }> {
  const body = await readJson(res)
  if (typeof body !== 'object' || body === null) return {}
  const record = body as Record<string, unknown>
  const nested =
    typeof record.error === 'object' && record.error !== null
      ? (record.error as Record<string, unknown>)
      : {}
  const code = scalar(nested.code) ?? scalar(record.code)
  const message =
    scalar(nested.message) ??
    (typeof record.error === 'string' ? record.error : undefined) ??
    scalar(record.message)
  return { code, message: message?.slice(0, 200) }
}

async function readJson(res: HttpResponse): Promise<unknown> {
  try {
    return JSON.parse(await res.text())
  } catch {
    return undefined
  }
}

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value
  if (typeof value === 'number') return String(value)
  return undefined
}

function header(res: HttpResponse, name: string): string | undefined {
  const value = res.headers[name]
  return Array.isArray(value) ? value[0] : value
}

// Outbound URLs may carry tokens in the query or user-info; error messages end up in logs and CCM.
function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    return `${u.origin}${u.pathname}`
  } catch {
    return '<outbound url>'
  }
}
