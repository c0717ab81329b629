/**
 * A BYOC connector on the test kit's plugin context, wired to a CXone simulator, with routes
 * that take `:params` (the bare context matches exact paths only) and a fake clock.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  type ChannelInfo,
  type CimBody,
  type CimMessage,
  type ConnectorInstance,
  inboundMessage,
  type KeyValueStore,
  text,
  type WebhookHandler,
  type WebhookRequest,
} from '@plugboard/sdk'
import {
  type CxoneSimulator,
  createTestContext,
  startCxoneSimulator,
  type TestContext,
  type TestContextOptions,
} from '@plugboard/testkit'
import { createFakeClock, type FakeClock } from '../src/clock.js'
import { ByocConfig } from '../src/config.js'
import { createByocPlugin } from '../src/index.js'

export const MIDDLEWARE = {
  clientId: 'cxone-byoc-integration',
  clientSecret: 'middleware-secret-0123456789abcdef',
}
export const SMS = '+15550100'
export const CUSTOMER = '+15550199'
const BASE = 'https://plugboard.test/webhooks/cx'

export interface ByocHarness {
  ctx: TestContext<ByocConfig>
  connector: ConnectorInstance
  clock: FakeClock
  cxone: CxoneSimulator
  /** Calls a route as the host would, `:params` resolved. */
  call(
    method: string,
    path: string,
    request?: { body?: string; headers?: Record<string, string>; query?: string },
  ): Promise<Response>
  /** A bearer token from the token route. */
  token(): Promise<string>
  /** POSTs JSON with a bearer token (a fresh one unless given). */
  post(path: string, body: unknown, token?: string): Promise<Response>
  /** Serves the routes on loopback and connects the simulator's agent to them. */
  connectAgent(): Promise<void>
  close(): Promise<void>
}

export async function setUpByoc(
  options: {
    config?: Record<string, unknown>
    channels?: ChannelInfo[]
    cxone?: CxoneSimulator
    clock?: FakeClock
    context?: TestContextOptions
    /** Share another instance's store, as replicas share Redis. */
    store?: KeyValueStore
  } = {},
): Promise<ByocHarness> {
  const cxone = options.cxone ?? (await startCxoneSimulator())
  const clock = options.clock ?? createFakeClock()
  const config = ByocConfig.parse({
    channelId: cxone.channelId,
    apiUrl: cxone.url,
    authUrl: cxone.authUrl,
    ...cxone.credentials,
    middlewareClientId: MIDDLEWARE.clientId,
    middlewareClientSecret: MIDDLEWARE.clientSecret,
    timeoutMs: 2_000,
    ...options.config,
  })
  const ctx = createTestContext(config, {
    connectorId: 'cx',
    pluginId: 'byoc',
    publicUrl: 'https://plugboard.test',
    ...options.context,
  })
  const routes: { method: string; pattern: RegExp; names: string[]; handler: WebhookHandler }[] = []
  const add = (method: string) => (path: string, handler: WebhookHandler) => {
    const names: string[] = []
    const source = path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
      names.push(name)
      return '([^/]+)'
    })
    routes.push({ method, pattern: new RegExp(`^${source}$`), names, handler })
  }
  Object.assign(ctx, {
    http: { get: add('GET'), post: add('POST'), put: add('PUT'), delete: add('DELETE') },
    channels: () => options.channels ?? [{ serviceIdentifier: SMS, channelType: 'SMS' }],
    ...(options.store ? { store: options.store } : {}),
  })
  const connector = await createByocPlugin({ clock }).setup(ctx)

  let server: { url: string; close(): Promise<void> } | undefined
  const call: ByocHarness['call'] = async (method, path, request = {}) => {
    for (const route of routes) {
      const match = route.method === method ? route.pattern.exec(path) : null
      if (!match) continue
      const params = Object.fromEntries(
        route.names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]),
      )
      return route.handler(webhookRequest(method, path, params, request))
    }
    return Response.json({ error: { code: 'NOT_FOUND', message: path } }, { status: 404 })
  }
  const token = async () => {
    const res = await call('POST', '/integration/box/1.0/token', {
      body: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: MIDDLEWARE.clientId,
        client_secret: MIDDLEWARE.clientSecret,
      }),
      headers: { 'content-type': 'application/json' },
    })
    return ((await res.json()) as { access_token: string }).access_token
  }
  return {
    ctx,
    connector,
    clock,
    cxone,
    call,
    token,
    async post(path, body, bearer) {
      return call('POST', path, {
        body: JSON.stringify(body),
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${bearer ?? (await token())}`,
        },
      })
    },
    async connectAgent() {
      server ??= await serve(call)
      cxone.agent.connect({
        boxUrl: `${server.url}/integration/box`,
        clientId: MIDDLEWARE.clientId,
        clientSecret: MIDDLEWARE.clientSecret,
      })
    },
    async close() {
      await connector.stop?.()
      await server?.close()
      if (!options.cxone) await cxone.close()
    },
  }
}

async function serve(call: ByocHarness['call']): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const url = new URL(req.url ?? '/', 'http://bridge')
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(req.headers))
      if (typeof value === 'string') headers[name] = value
    const answer = await call(req.method ?? 'GET', url.pathname, {
      body: Buffer.concat(chunks).toString('utf8'),
      headers,
      query: url.search,
    })
    const answerHeaders: Record<string, string> = {}
    answer.headers.forEach((value, name) => {
      answerHeaders[name] = value
    })
    res.writeHead(answer.status, answerHeaders)
    res.end(Buffer.from(await answer.arrayBuffer()))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

function webhookRequest(
  method: string,
  path: string,
  params: Record<string, string>,
  request: { body?: string; headers?: Record<string, string>; query?: string },
): WebhookRequest {
  const bytes = new TextEncoder().encode(request.body ?? '')
  const search = request.query ? `?${request.query.replace(/^\?/, '')}` : ''
  const url = `${BASE}${path}${search}`
  const text = async () => new TextDecoder().decode(bytes)
  return {
    method,
    path,
    params,
    query: new URLSearchParams(search),
    headers: new Headers(request.headers ?? {}),
    url,
    publicUrl: url,
    rawBody: async () => bytes,
    text,
    json: async <T>() => JSON.parse(await text()) as T,
    form: async () => new URLSearchParams(await text()),
  }
}

/** A customer message as the routed channel's connector hands it over. */
export function customerMessage(
  body: string | CimBody,
  options: { customerId?: string; serviceIdentifier?: string; intent?: 'END_CHAT' } = {},
): CimMessage {
  return inboundMessage({
    serviceIdentifier: options.serviceIdentifier ?? SMS,
    customerId: options.customerId ?? CUSTOMER,
    body: typeof body === 'string' ? text(body) : body,
    customerFirstName: 'Jane',
    customerLastName: 'Doe',
    connectorId: 'tw',
    ...(options.intent ? { intent: options.intent } : {}),
  })
}

/** Sends a customer message through the connector; resolves with the CXone thread it went to. */
export async function customerSays(
  byoc: ByocHarness,
  body: string | CimBody,
  options: { customerId?: string } = {},
): Promise<string> {
  const message = customerMessage(body, options)
  await byoc.connector.send(message, { attempt: 1, idempotencyKey: message.id })
  const [stored] = await byoc.cxone.waitForMessage((m) => m.idOnExternalPlatform === message.id)
  return stored!.threadId
}
