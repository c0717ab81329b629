/**
 * @module
 * Graph API errors as the host's failure kinds. Graph answers most errors with HTTP 400 whatever
 * their nature, so the error `code` decides and the status is the last resort.
 */
import {
  classifyHttpStatus,
  type FailureKind,
  type HttpResponse,
  PluginError,
  parseRetryAfter,
} from '@plugboard/sdk'
import { GraphErrorSchema } from './payloads.js'

interface KnownCode {
  kind: FailureKind
  code: string
  fix: string
}

const THROTTLED = (fix: string): KnownCode => ({
  kind: 'retryable',
  code: 'FACEBOOK_THROTTLED',
  fix,
})
const UNAVAILABLE = (fix: string): KnownCode => ({
  kind: 'retryable',
  code: 'FACEBOOK_UNAVAILABLE',
  fix,
})
const REJECTED = (fix: string): KnownCode => ({ kind: 'terminal', code: 'FACEBOOK_REJECTED', fix })

const KNOWN_CODES: Readonly<Record<string, KnownCode>> = {
  '1': UNAVAILABLE('an unknown Graph API error, usually passing; retried later'),
  '2': UNAVAILABLE('the Graph API is temporarily unavailable; retried later'),
  '4': THROTTLED('the app’s call limit is reached; retried later'),
  '17': THROTTLED('the user call limit is reached; retried later'),
  '32': THROTTLED('the page’s call limit is reached; retried later'),
  '613': THROTTLED('the Send API rate limit is reached; lower FACEBOOK-SEND-RATE if it persists'),
  '1200': UNAVAILABLE('a temporary send failure at Meta; retried later'),
  '190': {
    kind: 'auth',
    code: 'FACEBOOK_AUTH',
    fix: 'the page access token is invalid or expired: put a new long-lived page token in FACEBOOK-API-KEY (or FACEBOOK-PAGE-TOKENS for this page)',
  },
  '102': {
    kind: 'auth',
    code: 'FACEBOOK_AUTH',
    fix: 'the session of the page access token is invalid: generate a new page token',
  },
  '100': REJECTED('a parameter is invalid, or the customer id (PSID) does not belong to this page'),
  '10': REJECTED(
    'the app lacks the permission for this message, or it is outside the messaging window',
  ),
  '200': REJECTED('the app lacks pages_messaging permission for this page'),
  '230': REJECTED('the app lacks pages_messaging permission for this page'),
  '368': REJECTED('Meta has temporarily blocked the page from sending for policy reasons'),
  '551': REJECTED('this person is not available: they blocked the page or left Messenger'),
}

const WINDOW_FIX =
  'the message is outside Messenger’s messaging window: the customer must write first; for agents’ replies up to 7 days, get the Human Agent permission and set FACEBOOK-HUMAN-AGENT-TAG=true'

/** What a Graph error body says. */
export interface GraphErrorDetail {
  code?: string
  subcode?: string
  message?: string
  type?: string
  fbtraceId?: string
  transient?: boolean
}

/** True for Meta's "outside of allowed window" refusal (code 10, subcodes 2018xxx). */
export function isWindowError(detail: Pick<GraphErrorDetail, 'code' | 'subcode'>): boolean {
  return detail.code === '10' && (detail.subcode === '2018278' || detail.subcode === '2018065')
}

/**
 * The PluginError for a non-2xx answer of the Graph API, carrying the Graph code as
 * `providerCode` so the failed delivery notification names it. `secrets` (the access token) are
 * scrubbed from every text taken from the answer.
 */
export async function graphError(
  res: HttpResponse,
  operation: string,
  secrets: readonly string[] = [],
): Promise<PluginError & { detail: GraphErrorDetail }> {
  const detail = await readGraphError(res)
  const known = detail.code === undefined ? undefined : KNOWN_CODES[detail.code]
  const window = isWindowError(detail)
  const subcode2018 = detail.subcode?.startsWith('2018') && detail.subcode.length === 7
  const byStatus = classifyHttpStatus(res.status)
  let kind: FailureKind
  let code: string
  if (window || subcode2018) {
    kind = 'terminal'
    code = window ? 'FACEBOOK_OUTSIDE_WINDOW' : 'FACEBOOK_REJECTED'
  } else if (known) {
    kind = known.kind
    code = known.code
  } else if (detail.transient) {
    kind = 'retryable'
    code = 'FACEBOOK_UNAVAILABLE'
  } else {
    kind = byStatus === 'ok' ? 'terminal' : byStatus
    code =
      kind === 'auth'
        ? 'FACEBOOK_AUTH'
        : kind === 'retryable'
          ? 'FACEBOOK_UNAVAILABLE'
          : 'FACEBOOK_REJECTED'
  }
  const retryAfterMs = parseRetryAfter(header(res, 'retry-after')) ?? regainAccessMs(res)
  const said = [
    detail.code === undefined
      ? undefined
      : `code ${detail.code}${detail.subcode ? `/${detail.subcode}` : ''}`,
    detail.message,
  ]
    .filter(Boolean)
    .join(': ')
  const fix = window ? WINDOW_FIX : known?.fix
  const trace = detail.fbtraceId ? ` (fbtrace_id ${detail.fbtraceId})` : ''
  const message = scrub(
    `${operation} answered ${res.status}${said ? ` (${said})` : ''}${fix ? `. Fix: ${fix}` : ''}${trace}`,
    secrets,
  )
  const error = new PluginError(kind, code, message, {
    status: res.status,
    providerCode: detail.code ?? String(res.status),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  })
  return Object.assign(error, { detail })
}

/** Replaces each secret in `text` with `[redacted]`. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text
  for (const secret of secrets) {
    if (secret.length >= 4) {
      out = out.split(secret).join('[redacted]')
      const encoded = encodeURIComponent(secret)
      if (encoded !== secret) out = out.split(encoded).join('[redacted]')
    }
  }
  return out
}

async function readGraphError(res: HttpResponse): Promise<GraphErrorDetail> {
  let data: unknown
  try {
    data = JSON.parse(await res.text())
  } catch {
    return {}
  }
  const parsed = GraphErrorSchema.safeParse(data)
  if (!parsed.success) return {}
  const e = parsed.data.error
  const text = (value: unknown) =>
    value === null || value === undefined || value === '' ? undefined : String(value)
  const detail: GraphErrorDetail = {}
  const code = text(e.code)
  const subcode = text(e.error_subcode)
  if (code) detail.code = code
  if (subcode) detail.subcode = subcode
  if (e.message) detail.message = e.message.slice(0, 300)
  if (e.type) detail.type = e.type
  if (e.fbtrace_id) detail.fbtraceId = e.fbtrace_id
  if (e.is_transient) detail.transient = true
  return detail
}

/**
 * Meta's Business Use Case rate limits say when calls work again in `X-Business-Use-Case-Usage`
 * (`estimated_time_to_regain_access`, minutes) rather than in Retry-After.
 */
function regainAccessMs(res: HttpResponse): number | undefined {
  const raw = header(res, 'x-business-use-case-usage')
  if (!raw) return undefined
  try {
    const usage = JSON.parse(raw) as Record<
      string,
      Array<{ estimated_time_to_regain_access?: unknown }>
    >
    let minutes = 0
    for (const items of Object.values(usage)) {
      for (const item of Array.isArray(items) ? items : []) {
        const value = Number(item.estimated_time_to_regain_access)
        if (Number.isFinite(value)) minutes = Math.max(minutes, value)
      }
    }
    return minutes > 0 ? minutes * 60_000 : undefined
  } catch {
    return undefined
  }
}

function header(res: HttpResponse, name: string): string | undefined {
  const value = res.headers[name]
  return Array.isArray(value) ? value[0] : value
}
