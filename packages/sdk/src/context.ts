import type { CimMessage } from './cim/types.js'

/** A pino-compatible logger; the host gives each connector a child bound to its connector id. */
export interface Logger {
  trace(obj: unknown, msg?: string): void
  debug(obj: unknown, msg?: string): void
  info(obj: unknown, msg?: string): void
  warn(obj: unknown, msg?: string): void
  error(obj: unknown, msg?: string): void
  fatal(obj: unknown, msg?: string): void
  child(bindings: Record<string, unknown>): Logger
}

/** A request to one of the connector's webhook routes. */
export interface WebhookRequest {
  method: string
  /** Path below `/webhooks/{connectorId}`, e.g. `/message`. */
  path: string
  params: Readonly<Record<string, string>>
  query: URLSearchParams
  headers: Headers
  /** The URL as the host received it. */
  url: string
  /**
   * The URL as the provider called it: the connector's public base URL plus path and query.
   * Providers sign this URL, which behind a proxy differs from `url`.
   */
  publicUrl: string
  /** The body exactly as received; signatures are computed over these bytes. */
  rawBody(): Promise<Uint8Array>
  text(): Promise<string>
  json<T = unknown>(): Promise<T>
  /** The body as `application/x-www-form-urlencoded` fields. */
  form(): Promise<URLSearchParams>
}

export type WebhookHandler = (req: WebhookRequest) => Response | Promise<Response>

/** The connector's HTTP sub-router, mounted under `/webhooks/{connectorId}`. */
export interface WebhookRouter {
  get(path: string, handler: WebhookHandler): void
  post(path: string, handler: WebhookHandler): void
  put(path: string, handler: WebhookHandler): void
  delete(path: string, handler: WebhookHandler): void
}

export interface InboundOptions {
  /** The provider's id for the message; the host drops a second message with the same id (48 h). */
  providerMessageId?: string
}

export interface InboundResult {
  status: 'accepted' | 'duplicate'
  /** The CIM message id now owned by the pipeline (the original one for a duplicate). */
  id: string
}

/** A delivery status reported by the provider, for a message this connector sent. */
export type ReceiptStatus = 'queued' | 'sent' | 'delivered' | 'read' | 'failed'

export interface ReceiptUpdate {
  /** The id `send` returned for the message. */
  providerMessageId: string
  status: ReceiptStatus
  /** Provider error code or reason for `failed`. */
  reasonCode?: string
  reason?: string
}

export interface ReceiptResult {
  /** `applied` moved the status forward; `stale` was older than what we know; `unknown` matched no sent message. */
  status: 'applied' | 'stale' | 'unknown'
  messageId?: string
}

/** A small key-value store scoped to the connector, durable when the host's store is. */
export interface KeyValueStore {
  get<T = unknown>(key: string): Promise<T | undefined>
  set(key: string, value: unknown, options?: { ttlMs?: number }): Promise<void>
  delete(key: string): Promise<void>
}

export interface HttpRequestOptions {
  method?: string
  headers?: Record<string, string>
  body?: string | Uint8Array
  /** Whole-request timeout; the host's default applies when omitted. */
  timeoutMs?: number
}

export interface HttpResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  text(): Promise<string>
  json<T = unknown>(): Promise<T>
  arrayBuffer(): Promise<ArrayBuffer>
}

/**
 * HTTP client for calls to the provider. It pools connections, applies timeouts and goes through
 * the forward proxy when the host is configured with one. Network failures and timeouts are
 * thrown as retryable `PluginError`s.
 */
export type HttpClient = (url: string | URL, options?: HttpRequestOptions) => Promise<HttpResponse>

export interface Counter {
  inc(labels?: Record<string, string>, value?: number): void
}

export interface PluginMetrics {
  /** A counter named `plugboard_plugin_<name>_total`, labelled with the connector id. */
  counter(name: string, help: string, labelNames?: readonly string[]): Counter
}

export interface ChannelInfo {
  serviceIdentifier: string
  channelType?: string
}

/** Everything a connector may use; its whole world. */
export interface PluginContext<Config> {
  readonly connectorId: string
  readonly pluginId: string
  readonly config: Readonly<Config>
  readonly log: Logger
  readonly http: WebhookRouter
  /** Absolute public URL of one of this connector's webhook paths (for callbacks and registration). */
  publicUrl(path?: string): string
  /** Hands a customer message to the host; resolves once it is durable. */
  inbound(message: CimMessage, options?: InboundOptions): Promise<InboundResult>
  /** Reports a provider delivery receipt; the host keeps status monotonic and tells CCM. */
  receipt(update: ReceiptUpdate): Promise<ReceiptResult>
  readonly store: KeyValueStore
  readonly request: HttpClient
  readonly metrics: PluginMetrics
  /** The channels currently routed to this connector. */
  channels(): readonly ChannelInfo[]
  /** Aborted when the connector is being stopped. */
  readonly signal: AbortSignal
  /** Environment-level settings a plugin may need (media upload, etc.). */
  readonly env: Readonly<{ fileEngineUrl?: string; fileEnginePublicUrl?: string }>
}

export interface SendInfo {
  /** 1 on the first try. */
  attempt: number
  /** Stable across retries of the same message: pass it to providers that accept one. */
  idempotencyKey: string
}

export interface SendResult {
  /** The provider's id, used to match receipts. */
  providerMessageId?: string
  /** What the provider said at once; defaults to `sent`. */
  status?: 'queued' | 'sent' | 'delivered'
  /** Set when the message type cannot be carried and was deliberately not sent. */
  ignored?: string
}

export type HealthState = 'up' | 'degraded' | 'down'

/** What `setup` returns: the running connector. */
export interface ConnectorInstance {
  /** Sends one outbound CIM message; throw a `PluginError` to say whether to retry. */
  send(message: CimMessage, info: SendInfo): Promise<SendResult>
  /** Releases sockets, timers and sessions. In-flight sends have finished when this is called. */
  stop?(): Promise<void> | void
  /** Optional live health; reported in `/admin/connectors` and `/readyz`. */
  health?(): { state: HealthState; detail?: string }
}
