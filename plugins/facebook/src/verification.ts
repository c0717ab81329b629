import {
  type Counter,
  errorResponse,
  type Logger,
  timingSafeEqualString,
  type WebhookHandler,
} from '@plugboard/sdk'

export interface VerificationDeps {
  verifyToken: string
  log: Logger
  failures: Counter
}

/**
 * Meta's subscription handshake: `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`
 * is answered with the challenge when the token is ours, 403 otherwise.
 */
export function verificationHandler(deps: VerificationDeps): WebhookHandler {
  return (req) => {
    const mode = req.query.get('hub.mode')
    const token = req.query.get('hub.verify_token')
    const challenge = req.query.get('hub.challenge')
    if (mode !== 'subscribe' || token === null || !timingSafeEqualString(token, deps.verifyToken)) {
      const reason = mode !== 'subscribe' ? 'mode' : token === null ? 'missing_token' : 'token'
      deps.log.warn(
        { reason, mode },
        'Messenger webhook verification refused: wrong hub.mode or hub.verify_token',
      )
      deps.failures.inc({ reason })
      return errorResponse(
        403,
        'VERIFICATION_FAILED',
        reason === 'mode'
          ? 'hub.mode must be "subscribe"'
          : 'hub.verify_token does not match: enter the connector’s verify token (attribute FACEBOOK-PAGE-ACCESS-TOKEN) as "Verify token" in the Meta app’s webhook settings',
      )
    }
    if (!challenge) {
      return errorResponse(400, 'INVALID_REQUEST', 'hub.challenge is missing')
    }
    deps.log.info({}, 'Messenger webhook verified by Meta')
    return new Response(challenge, {
      status: 200,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    })
  }
}
