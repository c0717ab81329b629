/**
 * @module
 * X-Twilio-Signature, computed and checked exactly as Twilio does (twilio-node
 * `webhooks.ts`): HMAC-SHA1 with the auth token over the URL Twilio called followed by every
 * POST parameter, sorted by name, as `name + value`.
 */
import { createHash, createHmac } from 'node:crypto'
import { parse as parseQuery, stringify as stringifyQuery } from 'node:querystring'
import { timingSafeEqualString } from '@plugboard/sdk'

export const SIGNATURE_HEADER = 'X-Twilio-Signature'

/** Webhook parameters; a name sent more than once carries every value. */
export type TwilioParams = Readonly<Record<string, string | readonly string[]>>

/** The X-Twilio-Signature Twilio sends for a request to `url` with these POST parameters. */
export function twilioSignature(authToken: string, url: string, params: TwilioParams = {}): string {
  let data = url
  for (const name of Object.keys(params).sort()) {
    const value = params[name]!
    if (typeof value === 'string') data += name + value
    // Twilio de-duplicates and sorts repeated values before appending each one.
    else for (const v of [...new Set(value)].sort()) data += name + v
  }
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64')
}

/** Hex SHA-256 of a JSON webhook body: Twilio puts it in the URL as `bodySHA256`. */
export function bodySha256(body: string | Uint8Array): string {
  return createHash('sha256')
    .update(typeof body === 'string' ? Buffer.from(body, 'utf8') : body)
    .digest('hex')
}

/**
 * The URLs a signature may have been computed over, in the order Twilio's own validator tries
 * them: the URL as received without and with the default port, then the URL as `new URL()`
 * normalises it, each also with the query re-encoded the way Node's legacy `querystring` does.
 */
export function signatureUrlVariants(url: string): string[] {
  const variants = [removePort(url), addPort(url)]
  let normalised: string | undefined
  try {
    normalised = new URL(url).toString()
  } catch {
    normalised = undefined
  }
  if (normalised !== undefined) {
    const without = removePort(normalised)
    const withPort = addPort(normalised)
    variants.push(without, withPort, legacyQuery(without), legacyQuery(withPort))
  }
  return [...new Set(variants)]
}

export interface SignedRequest {
  authToken: string
  /** The X-Twilio-Signature header; null or empty never verifies. */
  signature: string | null | undefined
  /** Each URL Twilio may have called (e.g. the configured public URL and the one the host saw). */
  urls: readonly string[]
  /** Form parameters of a form-encoded request. */
  params?: TwilioParams
  /** The raw body; needed when the URL carries `bodySHA256` (JSON webhooks). */
  body?: string | Uint8Array
}

/**
 * True when the signature matches one of the URLs. A URL with a `bodySHA256` query parameter is
 * a JSON webhook: the signature then covers the URL alone and the body must hash to that value.
 */
export function verifyTwilioSignature(request: SignedRequest): boolean {
  const { authToken, signature } = request
  if (!signature) return false
  return request.urls.some((url) => {
    const bodyHash = queryParam(url, 'bodySHA256')
    if (bodyHash !== undefined) {
      const matches = signatureUrlVariants(url).some((candidate) =>
        timingSafeEqualString(signature, twilioSignature(authToken, candidate, {})),
      )
      return matches && timingSafeEqualString(bodyHash, bodySha256(request.body ?? ''))
    }
    return signatureUrlVariants(url).some((candidate) =>
      timingSafeEqualString(signature, twilioSignature(authToken, candidate, request.params ?? {})),
    )
  })
}

/** Form parameters as Twilio signs them: a repeated name keeps all its values. */
export function formParams(form: URLSearchParams): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {}
  for (const name of new Set(form.keys())) {
    const values = form.getAll(name)
    params[name] = values.length === 1 ? values[0]! : values
  }
  return params
}

interface UrlParts {
  scheme: string
  userInfo: string
  host: string
  port: string
  rest: string
}

// Split by hand rather than with `new URL()`, which would re-encode characters Twilio signed as sent.
function splitUrl(url: string): UrlParts | undefined {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)/i.exec(url)
  if (!match) return undefined
  const [prefix, scheme, authority] = match as unknown as [string, string, string]
  const at = authority.lastIndexOf('@')
  const hostAndPort = authority.slice(at + 1)
  // In an IPv6 literal the port colon comes after the closing bracket.
  const colon = hostAndPort.indexOf(':', hostAndPort.lastIndexOf(']') + 1)
  return {
    scheme,
    userInfo: authority.slice(0, at + 1),
    host: colon === -1 ? hostAndPort : hostAndPort.slice(0, colon),
    port: colon === -1 ? '' : hostAndPort.slice(colon),
    rest: url.slice(prefix.length),
  }
}

function addPort(url: string): string {
  const parts = splitUrl(url)
  if (!parts || parts.port) return url
  const port = parts.scheme.toLowerCase() === 'https://' ? ':443' : ':80'
  return parts.scheme + parts.userInfo + parts.host + port + parts.rest
}

function removePort(url: string): string {
  const parts = splitUrl(url)
  if (!parts) return url
  return parts.scheme + parts.userInfo + parts.host + parts.rest
}

function legacyQuery(url: string): string {
  const start = url.indexOf('?')
  if (start === -1 || start === url.length - 1) return url
  return `${url.slice(0, start)}?${stringifyQuery(parseQuery(url.slice(start + 1)))}`
}

function queryParam(url: string, name: string): string | undefined {
  try {
    return new URL(url).searchParams.get(name) ?? undefined
  } catch {
    return undefined
  }
}
