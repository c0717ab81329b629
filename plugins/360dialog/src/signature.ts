/**
 * @module
 * How a webhook proves it comes from 360dialog. Partners get a signature: HMAC-SHA256 of the raw
 * body with the Partner Hub's platform secret, in `x-360dialog-signature`. Everyone else sets a
 * secret header with the webhook URL, which 360dialog then sends with every event.
 */
import { createHmac } from 'node:crypto'
import { timingSafeEqualString } from '@plugboard/sdk'

/** Where 360dialog puts the partner signature; Meta's header name is accepted too. */
export const SIGNATURE_HEADERS = ['x-360dialog-signature', 'x-hub-signature-256'] as const

/** The partner signature of a body: lowercase hex of HMAC-SHA256. */
export function dialog360Signature(secret: string, body: Uint8Array | string): string {
  return createHmac('sha256', secret).update(body).digest('hex')
}

/**
 * Checks a partner signature in constant time. 360dialog documents the algorithm but not the
 * encoding, so lowercase or uppercase hex (with or without Meta's `sha256=` prefix) and base64 or
 * base64url of the same digest are accepted; each carries the full 256 bits.
 */
export function verifyDialog360Signature(
  secret: string,
  header: string | null | undefined,
  body: Uint8Array,
): boolean {
  if (!header) return false
  const given = header.trim().replace(/^sha256=/i, '')
  const digest = createHmac('sha256', secret).update(body).digest()
  const hex = digest.toString('hex')
  if (/^[0-9a-fA-F]{64}$/.test(given)) return timingSafeEqualString(given.toLowerCase(), hex)
  const base64 = digest.toString('base64').replace(/=+$/, '')
  const normalised = given.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/')
  return timingSafeEqualString(normalised, base64)
}

/**
 * The token 360dialog sends in the token header: the configured one, else one derived from the
 * API key. Derived, not random, so every replica and every restart expects the same value, and a
 * new API key (registered anew at start) brings a new token.
 */
export function webhookToken(config: {
  apiKey: string
  webhookToken?: string | undefined
}): string {
  if (config.webhookToken) return config.webhookToken
  return createHmac('sha256', config.apiKey)
    .update('plugboard:360dialog:webhook-token')
    .digest('base64url')
}

/** The key that signs the connector's media links; derived from the API key like the token. */
export function mediaLinkKey(apiKey: string): string {
  return createHmac('sha256', apiKey).update('plugboard:360dialog:media-link').digest('base64url')
}
