import {
  type Counter,
  errorResponse,
  type Logger,
  type WebhookRequest,
  type z,
} from '@plugboard/sdk'
import { SIGNATURE_HEADER, verifySignature } from './signature.js'

export interface WebhookBodyDeps {
  sharedSecret: string | undefined
  log: Logger
  signatureFailures: Counter
}

export type WebhookBody<T> = { ok: true; value: T } | { ok: false; response: Response }

/**
 * Reads a webhook's JSON body: checks the signature over the raw bytes first (so nothing of an
 * unauthenticated body is parsed), then validates it against `schema`.
 */
export async function readWebhookBody<S extends z.ZodType>(
  req: WebhookRequest,
  schema: S,
  deps: WebhookBodyDeps,
): Promise<WebhookBody<z.output<S>>> {
  const raw = await req.rawBody()
  if (deps.sharedSecret !== undefined) {
    const header = req.headers.get(SIGNATURE_HEADER)
    if (!verifySignature(deps.sharedSecret, raw, header)) {
      const reason = header === null ? 'missing' : 'mismatch'
      deps.log.warn({ path: req.path, reason }, 'webhook rejected: bad signature')
      deps.signatureFailures.inc({ path: req.path, reason })
      return {
        ok: false,
        response: errorResponse(
          403,
          'BAD_SIGNATURE',
          `${SIGNATURE_HEADER} is ${reason === 'missing' ? 'missing' : 'not the sha256 HMAC of the body'}`,
        ),
      }
    }
  }
  let data: unknown
  try {
    data = JSON.parse(new TextDecoder().decode(raw))
  } catch {
    return { ok: false, response: invalid('the body is not valid JSON') }
  }
  const result = schema.safeParse(data)
  if (!result.success) return { ok: false, response: invalid(describeIssues(result.error)) }
  return { ok: true, value: result.data }
}

function invalid(message: string): Response {
  return errorResponse(400, 'INVALID_PAYLOAD', message)
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join('.')
      return path === '' ? issue.message : `${path}: ${issue.message}`
    })
    .join('; ')
}
