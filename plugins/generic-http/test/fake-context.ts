/**
 * A hand-made `PluginContext` for unit tests that must not depend on the host: it records what
 * the plugin registers and calls, and lets a test script the provider's HTTP answers.
 */
import type {
  CimMessage,
  Counter,
  HttpRequestOptions,
  HttpResponse,
  InboundOptions,
  InboundResult,
  Logger,
  PluginContext,
  ReceiptResult,
  ReceiptUpdate,
  WebhookHandler,
  WebhookRequest,
} from '@plugboard/sdk'

export interface LogEntry {
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'
  obj: unknown
  msg: string | undefined
}

export interface RecordedRequest {
  url: string
  method: string
  headers: Record<string, string>
  body: string
  timeoutMs: number | undefined
}

export interface ScriptedResponse {
  status: number
  headers?: Record<string, string>
  body?: unknown
}

export type Responder = (req: RecordedRequest) => ScriptedResponse | Promise<ScriptedResponse>

export interface FakeContextOptions<Config> {
  config: Config
  connectorId?: string
  /** What `ctx.inbound` does; defaults to accepting with a fresh id per provider id. */
  inbound?: (message: CimMessage, options?: InboundOptions) => Promise<InboundResult>
  /** What `ctx.receipt` does; defaults to `applied`. */
  receipt?: (update: ReceiptUpdate) => Promise<ReceiptResult>
  /** What `ctx.request` answers; defaults to `201 {"id": "p-<n>"}`. */
  respond?: Responder
}

export interface FakeContext<Config> {
  ctx: PluginContext<Config>
  /** Handlers by `METHOD /path`, e.g. `POST /message`. */
  routes: Map<string, WebhookHandler>
  inbound: Array<{ message: CimMessage; options: InboundOptions | undefined }>
  receipts: ReceiptUpdate[]
  requests: RecordedRequest[]
  logs: LogEntry[]
  /** Counter increments by name, summed over labels. */
  counters: Map<string, number>
  /** Changes what `ctx.request` answers from now on. */
  respond(responder: Responder): void
  /** Calls a registered handler as the host would. */
  call(method: string, path: string, req: WebhookRequest): Promise<Response>
}

export function fakeContext<Config>(options: FakeContextOptions<Config>): FakeContext<Config> {
  const connectorId = options.connectorId ?? 'test-conn'
  const routes = new Map<string, WebhookHandler>()
  const inbound: FakeContext<Config>['inbound'] = []
  const receipts: ReceiptUpdate[] = []
  const requests: RecordedRequest[] = []
  const logs: LogEntry[] = []
  const counters = new Map<string, number>()
  const seen = new Map<string, string>()
  let sent = 0
  let responder: Responder =
    options.respond ?? (() => ({ status: 201, body: { id: `p-${++sent}` } }))

  const log = fakeLogger(logs)
  const route = (method: string) => (path: string, handler: WebhookHandler) => {
    routes.set(`${method} ${path}`, handler)
  }
  const defaultInbound = async (message: CimMessage, opts?: InboundOptions) => {
    const key = opts?.providerMessageId
    const previous = key === undefined ? undefined : seen.get(key)
    if (previous !== undefined) return { status: 'duplicate' as const, id: previous }
    if (key !== undefined) seen.set(key, message.id)
    return { status: 'accepted' as const, id: message.id }
  }

  const ctx: PluginContext<Config> = {
    connectorId,
    pluginId: 'generic-http',
    config: options.config,
    log,
    http: { get: route('GET'), post: route('POST'), put: route('PUT'), delete: route('DELETE') },
    publicUrl: (path = '') => `http://plugboard.test/webhooks/${connectorId}${path}`,
    async inbound(message, opts) {
      const result = await (options.inbound ?? defaultInbound)(message, opts)
      inbound.push({ message, options: opts })
      return result
    },
    async receipt(update) {
      receipts.push(update)
      return options.receipt ? options.receipt(update) : { status: 'applied' }
    },
    store: fakeStore(),
    async request(url: string | URL, init: HttpRequestOptions = {}) {
      const recorded: RecordedRequest = {
        url: String(url),
        method: init.method ?? 'GET',
        headers: { ...init.headers },
        body: typeof init.body === 'string' ? init.body : new TextDecoder().decode(init.body),
        timeoutMs: init.timeoutMs,
      }
      requests.push(recorded)
      return toHttpResponse(await responder(recorded))
    },
    metrics: {
      counter(name: string): Counter {
        return {
          inc(_labels, value = 1) {
            counters.set(name, (counters.get(name) ?? 0) + value)
          },
        }
      },
    },
    channels: () => [],
    signal: new AbortController().signal,
    env: {},
  }

  return {
    ctx,
    routes,
    inbound,
    receipts,
    requests,
    logs,
    counters,
    respond(next) {
      responder = next
    },
    async call(method, path, req) {
      const handler = routes.get(`${method} ${path}`)
      if (!handler) throw new Error(`no handler registered for ${method} ${path}`)
      return handler(req)
    },
  }
}

export interface FakeRequestInit {
  method?: string
  path: string
  body: string | Uint8Array
  headers?: Record<string, string>
}

/** A `WebhookRequest` over fixed bytes, as the host would hand it to a handler. */
export function webhookRequest(init: FakeRequestInit): WebhookRequest {
  const bytes = typeof init.body === 'string' ? new TextEncoder().encode(init.body) : init.body
  const text = () => new TextDecoder().decode(bytes)
  const url = `http://127.0.0.1/webhooks/test-conn${init.path}`
  return {
    method: init.method ?? 'POST',
    path: init.path,
    params: {},
    query: new URLSearchParams(),
    headers: new Headers({ 'content-type': 'application/json', ...init.headers }),
    url,
    publicUrl: url,
    rawBody: async () => bytes,
    text: async () => text(),
    json: async <T>() => JSON.parse(text()) as T,
    form: async () => new URLSearchParams(text()),
  }
}

function toHttpResponse(scripted: ScriptedResponse): HttpResponse {
  const text =
    scripted.body === undefined
      ? ''
      : typeof scripted.body === 'string'
        ? scripted.body
        : JSON.stringify(scripted.body)
  const headers: Record<string, string> = {}
  for (const [k, v] of Object.entries(scripted.headers ?? {})) headers[k.toLowerCase()] = v
  return {
    status: scripted.status,
    headers,
    text: async () => text,
    json: async <T>() => JSON.parse(text) as T,
    arrayBuffer: async () => new TextEncoder().encode(text).buffer as ArrayBuffer,
  }
}

function fakeLogger(entries: LogEntry[]): Logger {
  const at =
    (level: LogEntry['level']) =>
    (obj: unknown, msg?: string): void => {
      entries.push({ level, obj, msg })
    }
  const logger: Logger = {
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    fatal: at('fatal'),
    child: () => logger,
  }
  return logger
}

function fakeStore(): PluginContext<unknown>['store'] {
  const data = new Map<string, unknown>()
  return {
    get: async <T>(key: string) => data.get(key) as T | undefined,
    set: async (key, value) => {
      data.set(key, value)
    },
    delete: async (key) => {
      data.delete(key)
    },
  }
}
