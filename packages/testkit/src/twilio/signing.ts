/**
 * @module
 * How Twilio signs the webhooks it sends (X-Twilio-Signature), written independently of the
 * plugin so the simulator checks the plugin rather than agreeing with it by construction. A
 * test holds it to the official `twilio` package's validators.
 */
import { createHash, createHmac } from 'node:crypto'

/** Form parameters of a webhook; a name sent more than once carries every value. */
export type WebhookParams = Readonly<Record<string, string | readonly string[]>>

/** base64(HMAC-SHA1(authToken, url + each parameter name and value, names sorted)). */
export function signTwilioRequest(authToken: string, url: string, params: WebhookParams): string {
  const data = Object.keys(params)
    .sort()
    .map((name) => {
      const value = params[name]!
      if (typeof value === 'string') return name + value
      return [...new Set(value)]
        .sort()
        .map((v) => name + v)
        .join('')
    })
    .join('')
  return createHmac('sha1', authToken)
    .update(Buffer.from(url + data, 'utf8'))
    .digest('base64')
}

/**
 * A JSON webhook: Twilio appends `bodySHA256=<hex sha256 of the body>` to the URL and signs that
 * URL with no parameters.
 */
export function signTwilioJsonRequest(
  authToken: string,
  url: string,
  body: string,
): { url: string; signature: string } {
  const hash = createHash('sha256').update(Buffer.from(body, 'utf8')).digest('hex')
  const signedUrl = `${url}${url.includes('?') ? '&' : '?'}bodySHA256=${hash}`
  return { url: signedUrl, signature: signTwilioRequest(authToken, signedUrl, {}) }
}
