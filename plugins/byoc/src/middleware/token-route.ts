import {
  json,
  type Logger,
  timingSafeEqualString,
  type WebhookHandler,
  type WebhookRequest,
} from '@plugboard/sdk'
import type { IssuedTokens } from './bearer-tokens.js'
import { TokenRequestSchema } from './payloads.js'

export interface TokenRouteDeps {
  tokens: IssuedTokens
  clientId: string
  clientSecret: string
  log: Logger
  /** Counts token requests by outcome. */
  counted?(outcome: 'issued' | 'refused'): void
}

/**
 * The Authorization URL CXone calls with client credentials (`grant_type=client_credentials`,
 * JSON or form body, or the client in HTTP basic auth). Answers from memory and the local store:
 * no remote call, so well inside CXone's 500 ms.
 */
export function tokenHandler(deps: TokenRouteDeps): WebhookHandler {
  return async (req) => {
    const fields = await readFields(req)
    if (!fields) return oauthError(400, 'invalid_request', 'send a JSON or form body')
    const basic = basicCredentials(req.headers.get('authorization'))
    const parsed = TokenRequestSchema.parse(fields)
    const clientId = parsed.client_id ?? basic?.id
    const clientSecret = parsed.client_secret ?? basic?.secret
    if (!parsed.grant_type) {
      return oauthError(400, 'invalid_request', 'grant_type is required (client_credentials)')
    }
    if (parsed.grant_type !== 'client_credentials') {
      return oauthError(400, 'unsupported_grant_type', 'only client_credentials is supported')
    }
    const known =
      clientId !== undefined &&
      clientSecret !== undefined &&
      timingSafeEqualString(clientId, deps.clientId) &&
      timingSafeEqualString(clientSecret, deps.clientSecret)
    if (!known) {
      deps.log.warn(
        {
          clientIdMatches: clientId !== undefined && timingSafeEqualString(clientId, deps.clientId),
        },
        'token request refused: unknown client; check the Client ID and Secret in the CXone BYOC integration',
      )
      deps.counted?.('refused')
      const res = oauthError(401, 'invalid_client', 'client authentication failed')
      if (basic) res.headers.set('www-authenticate', 'Basic realm="byoc"')
      return res
    }
    const { token, expiresIn } = await deps.tokens.issue()
    deps.counted?.('issued')
    deps.log.info({ expiresInS: expiresIn }, 'issued a bearer token to CXone')
    return json({ access_token: token, token_type: 'Bearer', expires_in: expiresIn }, 200, {
      'cache-control': 'no-store',
      pragma: 'no-cache',
    })
  }
}

async function readFields(req: WebhookRequest): Promise<Record<string, unknown> | undefined> {
  const body = (await req.text()).trim()
  const type = req.headers.get('content-type') ?? ''
  if (type.includes('json') || body.startsWith('{')) {
    try {
      const value: unknown = JSON.parse(body || '{}')
      return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : undefined
    } catch {
      return undefined
    }
  }
  return Object.fromEntries(new URLSearchParams(body))
}

function basicCredentials(header: string | null): { id: string; secret: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '')
  if (!match) return undefined
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return undefined
  // RFC 6749 §2.3.1: both parts are form-encoded before they are joined.
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '))
    } catch {
      return s
    }
  }
  return { id: decode(decoded.slice(0, colon)), secret: decode(decoded.slice(colon + 1)) }
}

/**
 * The host's error shape, with OAuth's `error_description` beside it for OAuth clients; the code
 * is OAuth's error name.
 */
function oauthError(status: number, code: string, description: string): Response {
  return json({ error: { code, message: description }, error_description: description }, status, {
    'cache-control': 'no-store',
  })
}
