import type { WebhookHandler, WebhookRequest, WebhookRouter } from '@plugboard/sdk'
import { errorResponse } from '@plugboard/sdk'
import { type Context, Hono } from 'hono'
import { describeError, isHostError } from '../errors.js'

export interface ConnectorRouter {
  router: WebhookRouter
  /** Handles a request whose path starts with `/webhooks/{connectorId}`. */
  fetch(request: Request): Promise<Response>
}

export interface RouterOptions {
  connectorId: string
  /** Public base URL of the host (PUBLIC_URL); the request's own origin when unset. */
  publicUrl: string | undefined
  onError(error: unknown, path: string): void
}

/** The connector's sub-router: plugin routes under `/webhooks/{connectorId}`. */
export function createConnectorRouter(options: RouterOptions): ConnectorRouter {
  const prefix = `/webhooks/${options.connectorId}`
  const app = new Hono().basePath(prefix)
  const add = (method: string) => (path: string, handler: WebhookHandler) => {
    app.on(method, normalise(path), async (c) => {
      try {
        return await handler(toWebhookRequest(c, prefix, options.publicUrl))
      } catch (error) {
        options.onError(error, c.req.path)
        if (isHostError(error))
          return errorResponse(error.status, error.code, `${error.message}. ${error.fix}`)
        return errorResponse(
          500,
          'PLUGIN_ERROR',
          `the connector failed to handle the request: ${describeError(error)}`,
        )
      }
    })
  }
  app.notFound((c) =>
    errorResponse(
      404,
      'NOT_FOUND',
      `connector ${options.connectorId} has no route ${c.req.method} ${c.req.path}`,
    ),
  )
  return {
    router: { get: add('GET'), post: add('POST'), put: add('PUT'), delete: add('DELETE') },
    fetch: async (request) => app.fetch(request),
  }
}

function normalise(path: string): string {
  return path.startsWith('/') ? path : `/${path}`
}

function toWebhookRequest(
  c: Context,
  prefix: string,
  publicUrl: string | undefined,
): WebhookRequest {
  const url = new URL(c.req.url)
  const path = url.pathname.slice(prefix.length) || '/'
  const base = publicUrl ? publicUrl.replace(/\/+$/, '') : url.origin
  let body: Promise<Uint8Array> | undefined
  const rawBody = () => {
    body ??= c.req.raw.arrayBuffer().then((b) => new Uint8Array(b))
    return body
  }
  const text = async () => Buffer.from(await rawBody()).toString('utf8')
  return {
    method: c.req.method,
    path,
    params: c.req.param() as Record<string, string>,
    query: url.searchParams,
    headers: c.req.raw.headers,
    url: url.toString(),
    publicUrl: `${base}${url.pathname}${url.search}`,
    rawBody,
    text,
    json: async <T>() => JSON.parse(await text()) as T,
    form: async () => new URLSearchParams(await text()),
  }
}
