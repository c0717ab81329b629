/**
 * @module
 * `POST /auth/token`: CXone OAuth with an access key (password grant), the client in the body or
 * in HTTP basic auth. Tokens are random and live `tokenTtlSeconds`; `expireAll` ends every token
 * issued so far, as CXone revoking them early.
 */
import { randomBytes } from 'node:crypto'
import { oauthError } from './errors.js'
import type { CxoneCredentials } from './types.js'

export interface ApiTokens {
  /** Handles a token request. */
  handle(req: Request): Promise<Response>
  /** True for a live `Authorization: Bearer` token. */
  valid(authorization: string | null): boolean
  expireAll(): void
  clear(): void
}

export function createApiTokens(credentials: CxoneCredentials, ttlSeconds: number): ApiTokens {
  const tokens = new Map<string, number>()
  return {
    async handle(req) {
      const text = await req.text()
      let fields: Record<string, string>
      if ((req.headers.get('content-type') ?? '').includes('json')) {
        try {
          fields = JSON.parse(text) as Record<string, string>
        } catch {
          return oauthError(400, 'invalid_request', 'the body is not valid JSON')
        }
      } else {
        fields = Object.fromEntries(new URLSearchParams(text))
      }
      const basic = /^Basic\s+(\S+)$/i.exec(req.headers.get('authorization') ?? '')
      const [basicId, basicSecret] = basic
        ? Buffer.from(basic[1]!, 'base64').toString('utf8').split(':')
        : []
      if (fields.grant_type !== 'password') {
        return oauthError(
          400,
          'unsupported_grant_type',
          `grant_type ${fields.grant_type ?? '(none)'} is not supported here; use password with an access key`,
        )
      }
      const clientId = fields.client_id ?? basicId
      const clientSecret = fields.client_secret ?? basicSecret
      if (clientId !== credentials.clientId || clientSecret !== credentials.clientSecret) {
        return oauthError(400, 'invalid_client', 'unknown client')
      }
      if (
        fields.username !== credentials.accessKeyId ||
        fields.password !== credentials.accessKeySecret
      ) {
        return oauthError(400, 'invalid_grant', 'the access key is not valid')
      }
      const token = `cxsim_${randomBytes(24).toString('base64url')}`
      tokens.set(token, Date.now() + ttlSeconds * 1000)
      return Response.json(
        {
          access_token: token,
          token_type: 'Bearer',
          expires_in: ttlSeconds,
          refresh_token: randomBytes(16).toString('hex'),
          id_token: 'simulated',
        },
        { headers: { 'cache-control': 'no-store' } },
      )
    },
    valid(authorization) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')
      const expiresAt = match ? tokens.get(match[1]!) : undefined
      return expiresAt !== undefined && expiresAt > Date.now()
    },
    expireAll() {
      for (const token of tokens.keys()) tokens.set(token, 0)
    },
    clear() {
      tokens.clear()
    },
  }
}
