import { type Counter, errorResponse, type Logger, type WebhookRequest } from '@plugboard/sdk'
import { checkHubSignature, SIGNATURE_HEADER } from './signature.js'

export interface WebhookAuthDeps {
  appSecret: string
  log: Logger
  signatureFailures: Counter
}

export type SignedBody = { ok: true; body: unknown } | { ok: false; response: Response }

const FIXES = {
  missing: `${SIGNATURE_HEADER} is missing; only Meta may call this URL`,
  malformed: `${SIGNATURE_HEADER} must be "sha256=" and 64 hex characters`,
  mismatch: `${SIGNATURE_HEADER} does not match the body. Check that the app secret (FACEBOOK-APP-SECRET or FACEBOOK_APP_SECRET) is the one of the Meta app whose webhook calls this URL, and that no proxy rewrites the body`,
} as const

/**
 * Reads a Messenger webhook and checks its signature before anything of the body is used. A
 * refusal is answered 403, logged and counted; nothing of the body reaches the host.
 */
export async function readSignedBody(
  req: WebhookRequest,
  deps: WebhookAuthDeps,
): Promise<SignedBody> {
  const raw = await req.rawBody()
  const check = checkHubSignature(deps.appSecret, req.headers.get(SIGNATURE_HEADER), raw)
  if (check !== 'ok') {
    deps.log.warn(
      { path: req.path, reason: check, bytes: raw.byteLength },
      `Messenger webhook refused: bad ${SIGNATURE_HEADER}`,
    )
    deps.signatureFailures.inc({ reason: check })
    return { ok: false, response: errorResponse(403, 'BAD_SIGNATURE', FIXES[check]) }
  }
  try {
    return { ok: true, body: JSON.parse(new TextDecoder().decode(raw)) as unknown }
  } catch {
    return {
      ok: false,
      response: errorResponse(400, 'INVALID_PAYLOAD', 'the signed body is not JSON'),
    }
  }
}
