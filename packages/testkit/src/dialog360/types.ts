/**
 * @module
 * The 360dialog simulator's public types.
 */
import type { HttpAnswer } from '../simulator-http.js'
import type { WaitForOptions } from '../simulator-recorder.js'
import type { InboundContent, InboundInput } from './inbound.js'
import type { MediaRequest } from './media.js'
import type { StatusStep, WebhookShape } from './payloads.js'

/** One WhatsApp number at 360dialog, with the API key that sends from it. */
export interface Dialog360Channel {
  /** Digits with country code, e.g. `15550783881`, as `display_phone_number` shows it. */
  phoneNumber: string
  apiKey: string
  phoneNumberId: string
  wabaId: string
}

/** How a request to the messages API fails instead of being accepted. */
export type Dialog360Failure =
  | {
      kind?: 'error'
      /** HTTP status; default 500. */
      status?: number
      /** Graph error code, e.g. 130429 or 131047; by default one that fits the status. */
      code?: number
      message?: string
      /** `Retry-After` header, seconds or an HTTP date. */
      retryAfter?: number | string
    }
  /** Holds the request unanswered (until `timeoutHoldMs` or close), then answers 504; nothing is sent. */
  | { kind: 'timeout' }
  /** Destroys the connection without an answer; nothing is sent. */
  | { kind: 'reset' }

export interface Dialog360SimulatorOptions {
  /** Default 0: any free port on 127.0.0.1. */
  port?: number
  /** The numbers the API knows; default one with a random number and key. */
  channels?: Array<Partial<Dialog360Channel>>
  /** Statuses posted for each accepted message; default `['sent', 'delivered']`. */
  statusSequence?: StatusStep[]
  /** Pause before each status; default 10 ms. */
  statusDelayMs?: number
  /** Where webhooks go for a number whose webhook was not registered through the API. */
  webhookUrl?: string
  /** Headers sent with webhooks to `webhookUrl`, as set in the 360dialog Hub. */
  webhookHeaders?: Record<string, string>
  /** Partner platform secret: every webhook is signed with it in `x-360dialog-signature`. */
  partnerSecret?: string
  /** Shape of the webhooks; default `cloud`. */
  shape?: WebhookShape
  /** Public base URL → where it really is reachable (360dialog calling through a proxy). */
  routes?: Record<string, string>
  /** Refuse non-template messages to customers who have not written within 24 hours; default false. */
  enforceWindow?: boolean
  /** How long a `timeout` failure holds the request; default 60 s. */
  timeoutHoldMs?: number
}

/** A message the messages API accepted. */
export interface SimulatedSend {
  /** The `wamid.…` the answer carried. */
  id: string
  /** The business number it was sent from (by its API key). */
  from: string
  to: string
  type: string
  /** The text body, caption or template name, whichever the type has. */
  text: string | undefined
  /** The request body as posted. */
  body: Record<string, unknown>
  at: Date
}

/** A webhook the simulator posted (a customer message or a status), with the host's answer. */
export interface SentWebhook {
  kind: 'message' | 'status' | 'raw'
  /** The message id the webhook is about. */
  messageId: string | undefined
  status?: string
  url: string
  body: string
  headers: Record<string, string>
  answer?: HttpAnswer
  error?: string
}

/** A webhook URL set through `POST /v1/configs/webhook`. */
export interface WebhookRegistration {
  phoneNumber: string
  url: string
  headers: Record<string, string>
  at: Date
}

export interface PostOptions {
  /** Overrides the simulator's shape for this webhook. */
  shape?: WebhookShape
  /** Send this signature instead of the right one; `null` sends none. */
  signature?: string | null
  /** Send these headers instead of the registered ones; `null` sends none. */
  headers?: Record<string, string> | null
  /** Post to this URL instead of the registered one. */
  url?: string
}

export interface Dialog360Simulator {
  /** The API host URL: the connector's `hostUrl` (HOST-URL). */
  readonly url: string
  /** The first number. */
  readonly channel: Dialog360Channel
  readonly channels: readonly Dialog360Channel[]
  /** Messages the API accepted, in order. Count sends here. */
  readonly messages: readonly SimulatedSend[]
  /** Every POST to `/messages` (read marks excepted), failed and refused ones included. */
  readonly attempts: number
  /** Read marks (`status: "read"`) posted, by message id. */
  readonly reads: readonly string[]
  readonly registrations: readonly WebhookRegistration[]
  /** Webhooks posted, with their answers. */
  readonly webhooks: readonly SentWebhook[]
  readonly mediaRequests: readonly MediaRequest[]
  waitFor(
    predicate: (message: SimulatedSend) => boolean,
    options?: WaitForOptions,
  ): Promise<SimulatedSend[]>
  /** Resolves once `count` matching webhooks have been answered (or failed). */
  waitForWebhooks(
    predicate: (webhook: SentWebhook) => boolean,
    options?: WaitForOptions,
  ): Promise<SentWebhook[]>
  /** Resolves once `count` matching webhook registrations have arrived. */
  waitForRegistration(
    predicate?: (registration: WebhookRegistration) => boolean,
    options?: WaitForOptions,
  ): Promise<WebhookRegistration[]>
  on(event: 'message', listener: (message: SimulatedSend) => void): void
  off(event: 'message', listener: (message: SimulatedSend) => void): void
  /** Forgets messages, attempts, reads and webhooks; registrations stay. */
  clear(): void
  setStatusSequence(steps: StatusStep[]): void
  /** A sequence for the next accepted message only; queued calls apply in turn. */
  nextStatusSequence(steps: StatusStep[]): void
  /** The next `n` messages API requests fail (default: 500). */
  failNext(n: number, failure?: Dialog360Failure): void
  /** `down`: every messages API request fails (default: 503) until `up`. */
  setMode(mode: 'up' | 'down', failure?: Dialog360Failure): void
  /** Sends of free-form messages to this customer get 131047 until `openWindow`. */
  closeWindow(customer: string): void
  openWindow(customer: string): void
  /** Sets a number's webhook as the 360dialog Hub would (not counted as a registration). */
  setWebhook(url: string, headers?: Record<string, string>, phoneNumber?: string): void
  route(publicBase: string, actualBase: string): void
  /** Stores a medium as if a customer had sent it; resolves with its media id. */
  addMedia(input: { content: string | Uint8Array; mimeType: string; filename?: string }): string
  /** Posts a customer message to the number's webhook. */
  sendInbound(input: InboundInput & InboundContent, options?: PostOptions): Promise<SentWebhook>
  /** Posts a status for an accepted message now. */
  sendStatus(messageId: string, step: StatusStep, options?: PostOptions): Promise<SentWebhook>
  /** Posts any body (a recorded payload) to a number's webhook, signed when a partner secret is set. */
  postWebhook(body: unknown, options?: PostOptions & { phoneNumber?: string }): Promise<SentWebhook>
  close(): Promise<void>
}
