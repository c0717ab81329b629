import {
  classifyHttpStatus,
  type FailureKind,
  type HttpResponse,
  PluginError,
  parseRetryAfter,
  z,
} from '@plugboard/sdk'

// CXone's error body: `{"errors":[{"message","errorCode","field","parameters"}],"uid"}`; the
// token endpoint answers OAuth's `{"error","error_description"}` instead.
const ErrorBodySchema = z.looseObject({
  errors: z
    .array(
      z.looseObject({
        message: z.string().optional(),
        errorCode: z.union([z.string(), z.number()]).optional(),
        field: z.string().nullish(),
      }),
    )
    .optional(),
  uid: z.string().optional(),
  error: z.string().optional(),
  error_description: z.string().optional(),
})

interface ErrorDetail {
  code?: string
  message?: string
  field?: string
  uid?: string
}

const FIX: Record<FailureKind, string> = {
  auth: 'check CXONE_ACCESS_KEY_ID/SECRET and CXONE_CLIENT_ID/SECRET of this connector; messages wait meanwhile',
  retryable: 'CXone is unavailable or throttling; retried later',
  terminal: 'CXone refused the request; see its message',
}

/**
 * The PluginError for a non-2xx answer of CXone: 429/5xx retryable (with Retry-After), 401/403
 * auth, other 4xx terminal, carrying CXone's error code so a failed delivery names it.
 */
export async function cxoneError(
  res: HttpResponse,
  operation: string,
  /** Overrides the status's kind, e.g. a refused grant (400) is a credentials problem. */
  kindOf?: (status: number) => FailureKind | undefined,
): Promise<PluginError> {
  const detail = await readDetail(res)
  const byStatus = classifyHttpStatus(res.status)
  const kind: FailureKind = kindOf?.(res.status) ?? (byStatus === 'ok' ? 'terminal' : byStatus)
  const retryAfterMs = parseRetryAfter(header(res, 'retry-after'))
  const said = [
    detail.code === undefined ? undefined : `error ${detail.code}`,
    detail.message,
    detail.field ? `field ${detail.field}` : undefined,
    detail.uid ? `uid ${detail.uid}` : undefined,
  ]
    .filter(Boolean)
    .join(', ')
  const message = `${operation} answered ${res.status}${said ? ` (${said})` : ''}. Fix: ${FIX[kind]}`
  return new PluginError(kind, errorCode(kind, res.status), message, {
    status: res.status,
    providerCode: detail.code ?? String(res.status),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  })
}

function errorCode(kind: FailureKind, status: number): string {
  if (kind === 'auth') return 'CXONE_AUTH'
  if (kind === 'terminal') return 'CXONE_REJECTED'
  return status === 429 ? 'CXONE_THROTTLED' : 'CXONE_UNAVAILABLE'
}

async function readDetail(res: HttpResponse): Promise<ErrorDetail> {
  let data: unknown
  try {
    data = JSON.parse(await res.text())
  } catch {
    return {}
  }
  const parsed = ErrorBodySchema.safeParse(data)
  if (!parsed.success) return {}
  const first = parsed.data.errors?.[0]
  const code = first?.errorCode ?? parsed.data.error
  const message = first?.message ?? parsed.data.error_description
  return {
    ...(code === undefined || code === '' ? {} : { code: String(code) }),
    ...(message ? { message: message.slice(0, 300) } : {}),
    ...(first?.field ? { field: first.field } : {}),
    ...(parsed.data.uid ? { uid: parsed.data.uid } : {}),
  }
}

function header(res: HttpResponse, name: string): string | undefined {
  const value = res.headers[name]
  return Array.isArray(value) ? value[0] : value
}
