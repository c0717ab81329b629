import { createHmac, timingSafeEqual } from 'node:crypto'

/** Header carrying `sha256=<hex HMAC-SHA256 of the raw body>`, both directions. */
export const SIGNATURE_HEADER = 'X-Plugboard-Signature'

const PREFIX = 'sha256='

/** The `X-Plugboard-Signature` value for `body` under `secret`. */
export function signBody(secret: string, body: string | Uint8Array): string {
  return PREFIX + createHmac('sha256', secret).update(body).digest('hex')
}

/** True when `header` is the signature of exactly these bytes; constant time in the digest. */
export function verifySignature(
  secret: string,
  body: Uint8Array,
  header: string | null | undefined,
): boolean {
  if (!header?.startsWith(PREFIX)) return false
  const hex = header.slice(PREFIX.length).trim()
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return false
  const expected = createHmac('sha256', secret).update(body).digest()
  return timingSafeEqual(expected, Buffer.from(hex, 'hex'))
}
