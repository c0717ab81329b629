import {
  classifyHttpStatus,
  type FailureKind,
  type HttpResponse,
  PluginError,
  parseRetryAfter,
} from '@plugboard/sdk'
import { RestErrorSchema } from './payloads.js'

/** What to do about Twilio error codes the HTTP status alone would misjudge, and the fix. */
const KNOWN_CODES: Record<string, { kind?: FailureKind; fix: string }> = {
  '20003': {
    kind: 'auth',
    fix: 'check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN of this connector',
  },
  '20429': { kind: 'retryable', fix: 'too many concurrent requests; retried later' },
  '21211': { fix: "the customer's number is not a valid phone number; use E.164 (+15551234567)" },
  '21408': { fix: "enable the destination country in Twilio's Messaging geo permissions" },
  '21606': { fix: 'the channel number cannot send this kind of message; check it in Twilio' },
  '21610': {
    fix: 'the customer replied STOP; they must reply START before you can message them again',
  },
  '21611': {
    kind: 'retryable',
    fix: "the sender's queue at Twilio is full; retried later",
  },
  '21612': { fix: 'this sender cannot reach that number (MMS or country not supported)' },
  '21614': { fix: 'the number cannot receive SMS (landline or unreachable)' },
  '21617': { fix: 'the text is longer than 1600 characters; shorten it' },
  '63016': {
    fix: 'the WhatsApp 24-hour window is closed; send a template (CIM TEMPLATE with a Twilio Content SID) instead',
  },
  '63018': { kind: 'retryable', fix: 'WhatsApp rate limit; retried later' },
}

/**
 * The PluginError for a non-2xx answer of Twilio's API: 429/20429/5xx retryable (with
 * Retry-After), 401/20003 auth, other 4xx terminal, always carrying Twilio's error code so the
 * failed delivery notification names it.
 */
export async function twilioError(res: HttpResponse, operation: string): Promise<PluginError> {
  const detail = await restError(res)
  const code = detail.code
  const known = code === undefined ? undefined : KNOWN_CODES[code]
  const byStatus = classifyHttpStatus(res.status)
  const kind: FailureKind = known?.kind ?? (byStatus === 'ok' ? 'terminal' : byStatus)
  const retryAfterMs = parseRetryAfter(header(res, 'retry-after'))
  const said = [code === undefined ? undefined : `error ${code}`, detail.message]
    .filter(Boolean)
    .join(': ')
  const fix = known?.fix ?? (detail.moreInfo ? `see ${detail.moreInfo}` : undefined)
  const message = `${operation} answered ${res.status}${said ? ` (${said})` : ''}${fix ? `. Fix: ${fix}` : ''}`
  return new PluginError(kind, errorCode(kind, res.status, code), message, {
    status: res.status,
    providerCode: code ?? String(res.status),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  })
}

function errorCode(kind: FailureKind, status: number, code: string | undefined): string {
  if (kind === 'auth') return 'TWILIO_AUTH'
  if (kind === 'terminal') return 'TWILIO_REJECTED'
  if (status === 429 || code === '20429' || code === '63018') return 'TWILIO_THROTTLED'
  return 'TWILIO_UNAVAILABLE'
}

async function restError(
  res: HttpResponse,
): Promise<{ code?: string; message?: string; moreInfo?: string }> {
  let data: unknown
  try {
    data = JSON.parse(await res.text())
  } catch {
    return {}
  }
  const parsed = RestErrorSchema.safeParse(data)
  if (!parsed.success) return {}
  const { code, message, more_info } = parsed.data
  return {
    ...(code === undefined || code === '' ? {} : { code: String(code) }),
    ...(message ? { message: message.slice(0, 300) } : {}),
    ...(more_info ? { moreInfo: more_info } : {}),
  }
}

function header(res: HttpResponse, name: string): string | undefined {
  const value = res.headers[name]
  return Array.isArray(value) ? value[0] : value
}
