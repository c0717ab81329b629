import { createHttpClient } from '@plugboard/core'
import type {
  CimMessage,
  InboundOptions,
  InboundResult,
  Logger,
  PluginContext,
  ReceiptResult,
  ReceiptUpdate,
  WebhookHandler,
  WebhookRequest,
} from '@plugboard/sdk'

export interface LogRecord {
  level: string
  obj: unknown
  msg: string | undefined
}

export interface TestContext<C> extends PluginContext<C> {
  /** Messages the plugin handed to `inbound`, with their options. */
  readonly inboundMessages: { message: CimMessage; options: InboundOptions }[]
  readonly receipts: ReceiptUpdate[]
  readonly logs: LogRecord[]
  /** Registered routes as `METHOD path`. */
  routes(): string[]
  /** Calls a registered route the way the host would. */
  call(
    method: string,
    path: string,
    request?: { body?: string | Uint8Array; headers?: Record<string, string>; query?: string },
  ): Promise<Response>
  /** Aborts the context signal, as the host does when it stops the connector. */
  abort(): void
}

export interface TestContextOptions {
  connectorId?: string
  pluginId?: string
  publicUrl?: string
  /** What `inbound` answers; defaults to accepted, duplicate for a repeated provider id. */
  onInbound?: (
    message: CimMessage,
    options: InboundOptions,
  ) => InboundResult | Promise<InboundResult>
  onReceipt?: (update: ReceiptUpdate) => ReceiptResult | Promise<ReceiptResult>
}

/**
 * A plugin context without a host: records what the plugin does, so plugin unit tests and the
 * conformance suite can drive `setup`, webhooks and `send` directly.
 */
export function createTestContext<C>(config: C, options: TestContextOptions = {}): TestContext<C> {
  const connectorId = options.connectorId ?? 'test-connector'
  const base = (options.publicUrl ?? 'https://plugboard.test').replace(/\/+$/, '')
  const handlers = new Map<string, WebhookHandler>()
  const inboundMessages: TestContext<C>['inboundMessages'] = []
  const receipts: ReceiptUpdate[] = []
  const logs: LogRecord[] = []
  const seen = new Map<string, string>()
  const kv = new Map<string, unknown>()
  const abort = new AbortController()
  const logger = (bindings: Record<string, unknown>): Logger => {
    const at = (level: string) => (obj: unknown, msg?: string) => {
      logs.push({
        level,
        obj: typeof obj === 'object' && obj !== null ? { ...bindings, ...obj } : obj,
        msg: typeof obj === 'string' ? obj : msg,
      })
    }
    return {
      trace: at('trace'),
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
      fatal: at('fatal'),
      child: (more) => logger({ ...bindings, ...more }),
    }
  }
  const route = (method: string) => (path: string, handler: WebhookHandler) => {
    handlers.set(`${method} ${path.startsWith('/') ? path : `/${path}`}`, handler)
  }

  return {
    connectorId,
    pluginId: options.pluginId ?? 'test',
    config,
    log: logger({ connector: connectorId }),
    http: { get: route('GET'), post: route('POST'), put: route('PUT'), delete: route('DELETE') },
    publicUrl: (path = '') =>
      `${base}/webhooks/${connectorId}${path && !path.startsWith('/') ? '/' : ''}${path}`,
    async inbound(message, opts = {}) {
      inboundMessages.push({ message, options: opts })
      if (options.onInbound) return options.onInbound(message, opts)
      const pid = opts.providerMessageId
      if (pid && seen.has(pid)) return { status: 'duplicate', id: seen.get(pid)! }
      if (pid) seen.set(pid, message.id)
      return { status: 'accepted', id: message.id }
    },
    async receipt(update) {
      receipts.push(update)
      return options.onReceipt ? options.onReceipt(update) : { status: 'applied' }
    },
    store: {
      get: async <T>(key: string) => kv.get(key) as T | undefined,
      set: async (key, value) => void kv.set(key, value),
      delete: async (key) => void kv.delete(key),
    },
    request: createHttpClient({ timeoutMs: 5_000 }),
    metrics: { counter: () => ({ inc: () => undefined }) },
    channels: () => [],
    signal: abort.signal,
    env: {},
    inboundMessages,
    receipts,
    logs,
    routes: () => [...handlers.keys()],
    async call(method, path, request = {}) {
      const handler = handlers.get(`${method} ${path}`)
      if (!handler)
        return Response.json(
          { error: { code: 'NOT_FOUND', message: `${method} ${path}` } },
          { status: 404 },
        )
      return handler(makeRequest(method, path, `${base}/webhooks/${connectorId}`, request))
    },
    abort: () => abort.abort(),
  }
}

function makeRequest(
  method: string,
  path: string,
  base: string,
  request: { body?: string | Uint8Array; headers?: Record<string, string>; query?: string },
): WebhookRequest {
  const bytes =
    typeof request.body === 'string'
      ? new TextEncoder().encode(request.body)
      : (request.body ?? new Uint8Array())
  const search = request.query ? `?${request.query.replace(/^\?/, '')}` : ''
  const url = `${base}${path}${search}`
  const text = async () => new TextDecoder().decode(bytes)
  return {
    method,
    path,
    params: {},
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
