/**
 * @module
 * X-Hub-Signature-256, as Meta signs every webhook: `sha256=` and the hex HMAC-SHA256 of the raw
 * body with the app secret. The body must be the bytes as received; a re-serialised JSON would
 * differ (Meta escapes non-ASCII characters as `\uXXXX`).
 */
import { createHmac } from 'node:crypto'
import { timingSafeEqualString } from '@plugboard/sdk'

export const SIGNATURE_HEADER = 'X-Hub-Signature-256'

/** The X-Hub-Signature-256 value Meta sends for this body. */
export function hubSignature(appSecret: string, body: string | Uint8Array): string {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body
  return `sha256=${createHmac('sha256', appSecret).update(bytes).digest('hex')}`
}

export type SignatureCheck = 'ok' | 'missing' | 'malformed' | 'mismatch'

/** Checks a signature header against the body, in constant time. */
export function checkHubSignature(
  appSecret: string,
  header: string | null | undefined,
  body: string | Uint8Array,
): SignatureCheck {
  if (!header) return 'missing'
  const given = header.trim()
  if (!/^sha256=[0-9a-fA-F]{64}$/.test(given)) return 'malformed'
  const expected = hubSignature(appSecret, body)
  return timingSafeEqualString(`sha256=${given.slice(7).toLowerCase()}`, expected)
    ? 'ok'
    : 'mismatch'
}
