/**
 * @module
 * How 360dialog signs partner webhooks: HMAC-SHA256 of the raw body with the Partner Hub's
 * platform secret, lowercase hex, in `x-360dialog-signature`. Written apart from the plugin so
 * the simulator tests the plugin instead of agreeing with it by construction.
 */
import { createHmac } from 'node:crypto'

export const DIALOG360_SIGNATURE_HEADER = 'x-360dialog-signature'

export function signDialog360Webhook(platformSecret: string, body: string | Uint8Array): string {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body)
  return createHmac('sha256', platformSecret).update(bytes).digest('hex')
}
