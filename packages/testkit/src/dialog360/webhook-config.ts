/**
 * @module
 * `POST /v1/configs/webhook` with `{url, headers}` sets a number's webhook; `GET` reads it. URLs
 * follow the Cloud API's rules: HTTPS, no explicit port, no `_` in the host
 * (specs/providers.md §2.2).
 */
import { graphError, invalidApiKey } from './graph-error.js'
import type { Dialog360Channel, WebhookRegistration } from './types.js'

export interface WebhookConfigDeps {
  channelByKey(key: string | null): Dialog360Channel | undefined
  current(channel: Dialog360Channel): { url: string; headers: Record<string, string> } | undefined
  registered(registration: WebhookRegistration): void
}

export function createWebhookConfig(deps: WebhookConfigDeps) {
  return {
    async set(req: Request): Promise<Response> {
      const channel = deps.channelByKey(req.headers.get('d360-api-key'))
      if (!channel) return invalidApiKey()
      let body: unknown
      try {
        body = await req.json()
      } catch {
        body = undefined
      }
      const { url, headers } = (body ?? {}) as { url?: unknown; headers?: unknown }
      const problem = urlProblem(url)
      if (problem) return graphError({ status: 400, code: 100, message: problem })
      if (headers !== undefined && !isStringRecord(headers)) {
        return graphError({ status: 400, code: 100, message: 'headers must map names to strings' })
      }
      const registration: WebhookRegistration = {
        phoneNumber: channel.phoneNumber,
        url: url as string,
        headers: (headers as Record<string, string> | undefined) ?? {},
        at: new Date(),
      }
      deps.registered(registration)
      return Response.json({ url: registration.url, headers: registration.headers })
    },
    get(req: Request): Response {
      const channel = deps.channelByKey(req.headers.get('d360-api-key'))
      if (!channel) return invalidApiKey()
      const current = deps.current(channel)
      return Response.json(current ?? { url: null })
    },
  }
}

function urlProblem(url: unknown): string | undefined {
  if (typeof url !== 'string') return 'url is required'
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return `url "${url}" is not a URL`
  }
  if (parsed.protocol !== 'https:') return 'the webhook URL must use https'
  if (parsed.port !== '') return 'the webhook URL must not name a port'
  if (parsed.hostname.includes('_')) return 'the webhook host name must not contain "_"'
  return undefined
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  )
}
