import { type Counter, errorResponse, type Logger, type WebhookRequest } from '@plugboard/sdk'
import {
  formParams,
  SIGNATURE_HEADER,
  type TwilioParams,
  verifyTwilioSignature,
} from './signature.js'

export interface WebhookAuthDeps {
  authToken: string
  /** The connector's public webhook base as configured, else the host's `ctx.publicUrl()`. */
  publicBase: string
  log: Logger
  signatureFailures: Counter
}

/** A verified webhook: the parameters as signed, and a flat view with each name's first value. */
export interface SignedWebhook {
  params: TwilioParams
  fields: Record<string, string>
}

export type WebhookResult = { ok: true; value: SignedWebhook } | { ok: false; response: Response }

/**
 * Reads a Twilio webhook and checks X-Twilio-Signature before anything of the body is used.
 * A refusal is answered 403, logged and counted; it is never dropped silently.
 */
export async function readSignedWebhook(
  req: WebhookRequest,
  deps: WebhookAuthDeps,
): Promise<WebhookResult> {
  const raw = await req.rawBody()
  const text = new TextDecoder().decode(raw)
  const json = isJson(req.headers.get('content-type'))
  const params: TwilioParams = json ? {} : formParams(new URLSearchParams(text))
  const signature = req.headers.get(SIGNATURE_HEADER)
  const urls = candidateUrls(req, deps.publicBase)
  if (!verifyTwilioSignature({ authToken: deps.authToken, signature, urls, params, body: raw })) {
    const reason = signature ? 'mismatch' : 'missing'
    deps.log.warn(
      { path: req.path, reason, checkedUrls: urls.map(withoutQuery) },
      'Twilio webhook refused: bad X-Twilio-Signature',
    )
    deps.signatureFailures.inc({ path: req.path, reason })
    return {
      ok: false,
      response: errorResponse(
        403,
        'BAD_SIGNATURE',
        reason === 'missing'
          ? `${SIGNATURE_HEADER} is missing; only Twilio may call this URL`
          : `${SIGNATURE_HEADER} does not match. Check TWILIO_AUTH_TOKEN, and when a proxy sits in front of the host set TWILIO_WEBHOOK_BASE_URL (or PUBLIC_URL) to the URL configured in Twilio`,
      ),
    }
  }
  const fields = json ? jsonFields(text) : flatten(params)
  if (fields === undefined) {
    return {
      ok: false,
      response: errorResponse(400, 'INVALID_PAYLOAD', 'the JSON body is not an object'),
    }
  }
  return { ok: true, value: { params, fields } }
}

/**
 * The URLs Twilio may have signed: the configured public one and the one the host derived, each
 * with the path below the connector and the query as received.
 */
function candidateUrls(req: WebhookRequest, publicBase: string): string[] {
  const search = searchOf(req.url)
  return [...new Set([`${publicBase.replace(/\/+$/, '')}${req.path}${search}`, req.publicUrl])]
}

function searchOf(url: string): string {
  const at = url.indexOf('?')
  return at === -1 ? '' : url.slice(at)
}

// Logged URLs lose their query: it may carry bodySHA256 or a caller's own tokens.
function withoutQuery(url: string): string {
  const at = url.indexOf('?')
  return at === -1 ? url : url.slice(0, at)
}

function isJson(contentType: string | null): boolean {
  return contentType?.toLowerCase().includes('json') ?? false
}

function flatten(params: TwilioParams): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const [name, value] of Object.entries(params)) {
    fields[name] = typeof value === 'string' ? value : (value[0] ?? '')
  }
  return fields
}

function jsonFields(text: string): Record<string, string> | undefined {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined
  const fields: Record<string, string> = {}
  for (const [name, value] of Object.entries(data)) {
    if (typeof value === 'string') fields[name] = value
    else if (typeof value === 'number' || typeof value === 'boolean') fields[name] = String(value)
    else if (value !== null && value !== undefined) fields[name] = JSON.stringify(value)
  }
  return fields
}
