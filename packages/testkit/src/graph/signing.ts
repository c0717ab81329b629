/**
 * @module
 * How Meta signs the webhooks it sends, written independently of the plugin so the simulator
 * checks the plugin rather than agreeing with it by construction.
 */
import { createHmac } from 'node:crypto'

/** `X-Hub-Signature-256`: `sha256=` and hex HMAC-SHA256 of the raw body with the app secret. */
export function signGraphWebhook(appSecret: string, body: string | Uint8Array): string {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body)
  return `sha256=${createHmac('sha256', appSecret).update(bytes).digest('hex')}`
}

/** The legacy `X-Hub-Signature` (SHA-1) Meta sends alongside. */
export function signGraphWebhookSha1(appSecret: string, body: string | Uint8Array): string {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body)
  return `sha1=${createHmac('sha1', appSecret).update(bytes).digest('hex')}`
}

/**
 * JSON as Meta writes it: non-ASCII characters escaped as `\uXXXX` and `/` as `\/`. A receiver
 * that re-serialises the parsed body instead of checking the bytes it got fails the signature.
 */
export function metaJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\//g, '\\/')
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
