import {
  type Counter,
  errorResponse,
  type Logger,
  timingSafeEqualString,
  type WebhookRequest,
} from '@plugboard/sdk'
import { SIGNATURE_HEADERS, verifyDialog360Signature } from './signature.js'

/** How the connector's webhooks are authenticated. */
export type WebhookAuth =
  | { mode: 'signature'; partnerSecret: string }
  | { mode: 'token'; header: string; token: string }

export interface WebhookAuthDeps {
  auth: WebhookAuth
  log: Logger
  failures: Counter
}

export type AuthResult = { ok: true; raw: Uint8Array } | { ok: false; response: Response }

/**
 * Reads a webhook's raw body and checks the partner signature or the token header before any of
 * it is used. A refusal is answered 403, logged and counted; it is never dropped silently.
 */
export async function readAuthenticatedWebhook(
  req: WebhookRequest,
  deps: WebhookAuthDeps,
): Promise<AuthResult> {
  const raw = await req.rawBody()
  const { auth } = deps
  let reason: 'missing' | 'mismatch' | undefined
  let fix: string
  if (auth.mode === 'signature') {
    const header = SIGNATURE_HEADERS.map((name) => req.headers.get(name)).find((v) => v)
    if (!header) reason = 'missing'
    else if (!verifyDialog360Signature(auth.partnerSecret, header, raw)) reason = 'mismatch'
    fix =
      reason === 'missing'
        ? 'x-360dialog-signature is missing; only 360dialog may call this URL'
        : 'x-360dialog-signature does not match the body. Check PARTNER-WEBHOOK-SECRET against the platform secret in the 360dialog Partner Hub'
  } else {
    const given = req.headers.get(auth.header)
    if (!given) reason = 'missing'
    else if (!timingSafeEqualString(given, auth.token)) reason = 'mismatch'
    fix =
      reason === 'missing'
        ? `the ${auth.header} header is missing; register the webhook with it (REGISTER-WEBHOOK=true does) or add it in the 360dialog Hub`
        : `the ${auth.header} header does not match WEBHOOK-TOKEN; register the webhook again (restart with REGISTER-WEBHOOK=true) or correct the header in the 360dialog Hub`
  }
  if (reason === undefined) return { ok: true, raw }
  deps.log.warn(
    { path: req.path, reason, mode: auth.mode },
    auth.mode === 'signature'
      ? '360dialog webhook refused: bad partner signature'
      : '360dialog webhook refused: bad webhook token',
  )
  deps.failures.inc({ path: req.path, reason })
  return {
    ok: false,
    response: errorResponse(403, auth.mode === 'signature' ? 'BAD_SIGNATURE' : 'BAD_TOKEN', fix),
  }
}
