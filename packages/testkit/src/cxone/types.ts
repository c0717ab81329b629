/**
 * @module
 * The CXone simulator's public types.
 */
import type { HttpAnswer } from '../simulator-http.js'
import type { WaitForOptions } from '../simulator-recorder.js'

/** How a request fails instead of being served. */
export type CxoneFailure =
  | {
      kind?: 'error'
      /** HTTP status; default 503. */
      status?: number
      /** CXone's `errorCode` in the body. */
      errorCode?: string
      message?: string
      /** `Retry-After`, seconds or an HTTP date. */
      retryAfter?: number | string
      /** Which endpoints fail: the DE API (default) or the token endpoint. */
      on?: 'api' | 'auth'
    }
  /**
   * Holds the request unanswered (until `timeoutHoldMs` or close), then answers 504. With
   * `commit`, a message create is recorded first: CXone took it but the answer was lost.
   */
  | { kind: 'timeout'; commit?: boolean; on?: 'api' | 'auth' }
  /** Destroys the connection without an answer; nothing is recorded. */
  | { kind: 'reset'; on?: 'api' | 'auth' }

export interface CxoneCredentials {
  /** The access key (OAuth password grant `username`/`password`). */
  accessKeyId: string
  accessKeySecret: string
  /** The OAuth client registered with CXone. */
  clientId: string
  clientSecret: string
}

export interface CxoneSimulatorOptions {
  /** Default 0: any free port on 127.0.0.1. */
  port?: number
  /** The BYOC channel's id; default a random `chat_…` id. */
  channelId?: string
  /** Default: random ones. */
  credentials?: Partial<CxoneCredentials>
  /** Lifetime of API tokens (`expires_in`); default 3600. */
  tokenTtlSeconds?: number
  /** How long a `timeout` failure holds the request; default 60 s. */
  timeoutHoldMs?: number
}

/** A message in a CXone thread: a customer's (inbound) or an agent's (outbound). */
export interface CxoneMessage {
  /** CXone's own id. */
  id: string
  /** The middleware's id: for inbound the one it sent, for outbound the one it answered. */
  idOnExternalPlatform: string
  threadId: string
  direction: 'inbound' | 'outbound'
  text: string
  attachments: { friendlyName?: string; url: string }[]
  /** The customer's idOnExternalPlatform, or the agent's name. */
  author: string
  createdAt: string
  /** Latest status the middleware reported (outbound messages). */
  status?: string
  /** The request body as received (inbound) or sent (outbound). */
  raw: unknown
}

export interface CxoneThread {
  /** The thread's idOnExternalPlatform, chosen by the middleware. */
  id: string
  channelId: string
  threadName?: string
  /** The end user of the first message. */
  customerId: string
  closed: boolean
  messages: CxoneMessage[]
  senderActions: string[]
}

export interface CxoneStatusUpdate {
  messageId: string
  status: string
  reason?: string
  updatedAt?: string
}

/** Calls the simulator made on the middleware as its agent, with the answers. */
export interface AgentCall {
  kind: 'token' | 'reply' | 'outbound' | 'close'
  url: string
  status?: number
  body?: unknown
  error?: string
}

export interface AgentReply {
  text?: string
  attachments?: { friendlyName?: string; url: string; mimeType?: string }[]
  /** Extra fields to put in the body (a changed CXone payload). */
  extra?: Record<string, unknown>
  /** The agent's name; default "Alex Agent". */
  agentName?: string
}

export interface AgentReplyResult {
  /** The last answer (after a 401 and a fresh token, the retry's). */
  answer: HttpAnswer
  /** What the middleware said the message is called (`idOnExternalPlatform`). */
  idOnExternalPlatform?: string
  /** The recorded outbound message, when the middleware took it. */
  message?: CxoneMessage
}

/** CXone's agent side: it answers through the middleware as CXone does. */
export interface CxoneAgent {
  /**
   * The BYOC integration as entered in CXone: the Integration Box URL (e.g.
   * `{host}/webhooks/cx/integration/box`), the middleware's client id and secret, and whether the
   * token request is sent as a form (default JSON).
   */
  connect(integration: {
    boxUrl: string
    clientId: string
    clientSecret: string
    tokenBody?: 'json' | 'form'
  }): void
  /** Posts a reply to `{box}/1.0/posts/{threadId}/messages`; on 401 fetches a token and retries once. */
  reply(threadId: string, reply: string | AgentReply): Promise<AgentReplyResult>
  /** The DFO 3.0 outbound variant: `{box}/2.0/channel/{channelId}/outbound`. */
  replyOutbound(
    input: AgentReply & { threadId?: string; recipient?: string },
  ): Promise<AgentReplyResult>
  /** The agent ends the thread: `{box}/1.0/posts/{threadId}/close`, then closes it here too. */
  endThread(threadId: string): Promise<HttpAnswer>
  /** Drops the token held, so the next call fetches one. */
  forgetToken(): void
  /** Every call made, token requests included. */
  readonly calls: readonly AgentCall[]
  /** Token requests made to the middleware. */
  readonly tokenFetches: number
  /** 401 answers received from the middleware. */
  readonly unauthorized: number
}

export interface CxoneSimulator {
  /** The Digital Engagement API base URL: the connector's `apiUrl`. */
  readonly url: string
  /** The OAuth token URL: the connector's `authUrl`. */
  readonly authUrl: string
  readonly channelId: string
  readonly credentials: CxoneCredentials
  readonly threads: readonly CxoneThread[]
  /** Every message of every thread, in arrival order. */
  readonly messages: readonly CxoneMessage[]
  /** Status updates of outbound messages, in arrival order. */
  readonly statuses: readonly CxoneStatusUpdate[]
  /** DE API requests, failed and refused ones included. */
  readonly apiRequests: number
  /** Requests to the token endpoint, refused ones included. */
  readonly tokenRequests: number
  thread(id: string): CxoneThread | undefined
  waitForMessage(
    predicate: (message: CxoneMessage) => boolean,
    options?: WaitForOptions,
  ): Promise<CxoneMessage[]>
  waitForStatus(
    predicate: (update: CxoneStatusUpdate) => boolean,
    options?: WaitForOptions,
  ): Promise<CxoneStatusUpdate[]>
  /** Resolves once the thread was closed (by the middleware or the agent). */
  waitForClosed(threadId: string, options?: WaitForOptions): Promise<void>
  /** Every API token issued so far is refused from now on, as if it had expired. */
  expireTokens(): void
  /** The next `n` requests fail (default: 503 from the DE API). */
  failNext(n: number, failure?: CxoneFailure): void
  /** `down`: every DE API request fails (default 503) until `up`. */
  setMode(mode: 'up' | 'down', failure?: CxoneFailure): void
  /** A one-time token as CXone puts on the action URL, for `verification` to accept once. */
  oneTimeToken(ids?: { brandId?: number; userId?: number }): string
  readonly agent: CxoneAgent
  /** Forgets threads, messages, statuses and counters. */
  clear(): void
  close(): Promise<void>
}
