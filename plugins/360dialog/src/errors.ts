import {
  classifyHttpStatus,
  type FailureKind,
  type HttpResponse,
  PluginError,
  parseRetryAfter,
} from '@plugboard/sdk'
import { ErrorBodySchema } from './payloads.js'

/** WhatsApp error codes the HTTP status alone would misjudge, and the fix each needs. */
const KNOWN_CODES: Record<string, { kind?: FailureKind; fix: string }> = {
  '0': {
    kind: 'auth',
    fix: 'WhatsApp refused the credentials; check the API-KEY of this connector',
  },
  '190': {
    kind: 'auth',
    fix: 'the access token behind the API key expired; create a new API key in the 360dialog Hub',
  },
  '4': { kind: 'retryable', fix: 'API call limit reached; retried later' },
  '80007': { kind: 'retryable', fix: 'WhatsApp Business Account rate limit; retried later' },
  '130429': { kind: 'retryable', fix: 'throughput limit of the number reached; retried later' },
  '131056': {
    kind: 'retryable',
    fix: 'too many messages to this customer in a short time; retried later',
  },
  '131000': { kind: 'retryable', fix: 'WhatsApp failed for an unknown reason; retried later' },
  '131016': { kind: 'retryable', fix: 'WhatsApp is temporarily unavailable; retried later' },
  '131031': {
    kind: 'auth',
    fix: 'the WhatsApp account is locked or restricted; resolve it in WhatsApp Manager',
  },
  '131047': {
    fix: 'more than 24 hours since the customer last wrote: the customer-service window is closed; send an approved template (CIM TEMPLATE) instead',
  },
  '470': {
    fix: 'the 24-hour customer-service window is closed; send an approved template (CIM TEMPLATE) instead',
  },
  '131026': {
    fix: 'the message cannot be delivered to this number (not on WhatsApp, or an old app version)',
  },
  '131051': { fix: 'WhatsApp does not support this message type' },
  '131052': { fix: 'the medium could not be downloaded by WhatsApp; check that its URL is public' },
  '131053': { fix: 'the medium could not be uploaded; check its type and size' },
  '132000': { fix: 'the number of template parameters does not match the approved template' },
  '132001': {
    fix: 'no approved template with this name and language; check name and language.code',
  },
  '132012': { fix: 'a template parameter has the wrong format for the approved template' },
  '100': { fix: 'WhatsApp refused a parameter of the message; see the error details' },
}

/** The WhatsApp or 360dialog error code of an answer, for reports and tests. */
export interface ErrorDetail {
  code?: string
  subcode?: string
  message?: string
  traceId?: string
}

/**
 * The PluginError for a non-2xx answer of 360dialog: 429, 5xx and the throughput codes
 * retryable (with Retry-After), 401/403 and credential codes auth, the closed 24-hour window
 * (131047, 470) and other 4xx terminal. The provider code travels as `providerCode`, so a failed
 * delivery notification names it.
 */
export async function dialog360Error(res: HttpResponse, operation: string): Promise<PluginError> {
  const detail = await errorDetail(res)
  const code = detail.code
  const known = code === undefined ? undefined : KNOWN_CODES[code]
  const byStatus = classifyHttpStatus(res.status)
  // A status that already says "try later" or "not allowed" outranks a code.
  const kind: FailureKind =
    byStatus === 'retryable' || byStatus === 'auth'
      ? byStatus
      : (known?.kind ?? (byStatus === 'ok' ? 'terminal' : byStatus))
  const retryAfterMs = parseRetryAfter(header(res, 'retry-after'))
  const said = [code === undefined ? undefined : `error ${code}`, detail.message]
    .filter(Boolean)
    .join(': ')
  const fix = known?.fix ?? (kind === 'auth' ? 'check the API-KEY of this connector' : undefined)
  const message = `${operation} answered ${res.status}${said ? ` (${said})` : ''}${fix ? `. Fix: ${fix}` : ''}`
  return new PluginError(kind, errorCode(kind, res.status, code), message, {
    status: res.status,
    providerCode: code ?? String(res.status),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  })
}

function errorCode(kind: FailureKind, status: number, code: string | undefined): string {
  if (kind === 'auth') return 'D360_AUTH'
  if (kind === 'terminal')
    return code === '131047' || code === '470' ? 'D360_WINDOW_CLOSED' : 'D360_REJECTED'
  if (status === 429 || (code !== undefined && ['4', '80007', '130429', '131056'].includes(code))) {
    return 'D360_THROTTLED'
  }
  return 'D360_UNAVAILABLE'
}

export async function errorDetail(res: HttpResponse): Promise<ErrorDetail> {
  let data: unknown
  try {
    data = JSON.parse(await res.text())
  } catch {
    return {}
  }
  const parsed = ErrorBodySchema.safeParse(data)
  if (!parsed.success) return {}
  const { error, errors, meta } = parsed.data
  if (typeof error === 'string') return { message: error.slice(0, 300) }
  if (error) {
    const text = error.error_data?.details ?? error.error_user_msg ?? error.message
    return {
      ...(error.code === undefined ? {} : { code: String(error.code) }),
      ...(error.error_subcode === undefined ? {} : { subcode: String(error.error_subcode) }),
      ...(text ? { message: text.slice(0, 300) } : {}),
      ...(error.fbtrace_id ? { traceId: error.fbtrace_id } : {}),
    }
  }
  const first = errors?.[0]
  if (first) {
    const text = first.details ?? first.title ?? first.message ?? meta?.developer_message
    return {
      ...(first.code === undefined ? {} : { code: String(first.code) }),
      ...(text ? { message: text.slice(0, 300) } : {}),
    }
  }
  return meta?.developer_message ? { message: meta.developer_message.slice(0, 300) } : {}
}

function header(res: HttpResponse, name: string): string | undefined {
  const value = res.headers[name]
  return Array.isArray(value) ? value[0] : value
}
