/**
 * @module
 * The Twilio simulator's public types.
 */
import type { HttpAnswer } from '../simulator-http.js'
import type { WaitForOptions } from '../simulator-recorder.js'
import type { SentCallback, StatusStep } from './callbacks.js'
import type { InboundSmsInput, InboundWhatsAppInput } from './inbound-params.js'
import type { MediaInput, MediaRequest } from './media.js'
import type { SimulatedMessage } from './resources.js'

export interface TwilioAccount {
  sid: string
  authToken: string
}

/** How a request to the Messages API fails instead of creating a message. */
export type TwilioFailure =
  | {
      kind?: 'error'
      /** HTTP status; default 500. */
      status?: number
      /** Twilio error code in the body, e.g. 21211, 20429, 63016. */
      code?: number
      message?: string
      /** `Retry-After` header, seconds or an HTTP date. */
      retryAfter?: number | string
    }
  /** Holds the request unanswered (until `timeoutHoldMs` or close), then answers 504; nothing is created. */
  | { kind: 'timeout' }
  /** Destroys the connection without an answer; nothing is created. */
  | { kind: 'reset' }

export interface TwilioSimulatorOptions {
  /** Default 0: any free port on 127.0.0.1. */
  port?: number
  /** Accounts the API knows; default one with a random sid and token. */
  accounts?: TwilioAccount[]
  /** Statuses posted to the StatusCallback of each accepted message; default `['sent', 'delivered']`. */
  statusSequence?: StatusStep[]
  /** Pause before each status callback; default 10 ms. */
  callbackDelayMs?: number
  /** The "A message comes in" URL of every number; settable later with `setWebhookUrl`. */
  webhookUrl?: string
  /**
   * Public base URL → where it really is reachable, e.g. `{'https://hooks.example.com':
   * host.url}`: the simulator signs the public URL and delivers to the other, as Twilio calling
   * through a reverse proxy.
   */
  routes?: Record<string, string>
  /** "Enforce HTTP Auth on Media URLs"; default true. */
  mediaAuth?: boolean
  /** Redirect media GETs to a signed CDN URL on another origin, as Twilio does; default true. */
  mediaRedirect?: boolean
  /** How long a `timeout` failure holds the request; default 60 s. */
  timeoutHoldMs?: number
}

export interface PostOptions {
  /** Send this signature instead of the right one; `null` sends none. */
  signature?: string | null
  /** Sign this URL instead of the one posted to (a proxy rewrote the URL). */
  signedUrl?: string
  /** Post the parameters as a JSON body, signed with `bodySHA256` as Twilio does for JSON. */
  json?: boolean
}

/** An incoming-message webhook the simulator posted, with the host's answer. */
export interface SentWebhook {
  messageSid: string
  url: string
  params: Record<string, string>
  answer?: HttpAnswer
  error?: string
}

export interface TwilioSimulator {
  /** The API base URL: the connector's `apiBaseUrl`. */
  readonly url: string
  /** The first account. */
  readonly account: TwilioAccount
  readonly accounts: readonly TwilioAccount[]
  /** Messages the API accepted (one per successful `Messages.json` POST), in order. */
  readonly messages: readonly SimulatedMessage[]
  /** Every POST to `Messages.json`, failed and refused ones included. */
  readonly attempts: number
  /** Status callbacks posted, each with its answer. */
  readonly callbacks: readonly SentCallback[]
  /** Incoming-message webhooks posted, each with its answer. */
  readonly webhooks: readonly SentWebhook[]
  /** GETs of media, at the API and the CDN. */
  readonly mediaRequests: readonly MediaRequest[]
  waitFor(
    predicate: (message: SimulatedMessage) => boolean,
    options?: WaitForOptions,
  ): Promise<SimulatedMessage[]>
  /** Resolves once `count` matching status callbacks have been answered (or failed). */
  waitForCallbacks(
    predicate: (callback: SentCallback) => boolean,
    options?: WaitForOptions,
  ): Promise<SentCallback[]>
  on(event: 'message', listener: (message: SimulatedMessage) => void): void
  off(event: 'message', listener: (message: SimulatedMessage) => void): void
  /** Forgets messages, attempts, callbacks and webhooks. */
  clear(): void
  /** The status sequence of messages accepted from now on. */
  setStatusSequence(steps: StatusStep[]): void
  /** A sequence for the next accepted message only; queued calls apply in turn. */
  nextStatusSequence(steps: StatusStep[]): void
  /** The next `n` Messages API requests fail (default: 500). */
  failNext(n: number, failure?: TwilioFailure): void
  /** `down`: every Messages API request fails (default: 503) until `up`. */
  setMode(mode: 'up' | 'down', failure?: TwilioFailure): void
  /** Numbers that replied STOP: sends to them get 21610. */
  optOut(number: string): void
  setWebhookUrl(url: string): void
  /** Delivers URLs under `publicBase` to `actualBase` (a reverse proxy in front of the host). */
  route(publicBase: string, actualBase: string): void
  /** Posts a signed incoming SMS (MMS with `media`) to the webhook URL. */
  sendSms(
    input: InboundSmsInput & { media?: MediaInput[] },
    options?: PostOptions,
  ): Promise<SentWebhook>
  /** Posts a signed incoming WhatsApp message; addresses get `whatsapp:` when missing. */
  sendWhatsApp(
    input: InboundWhatsAppInput & { media?: MediaInput[] },
    options?: PostOptions,
  ): Promise<SentWebhook>
  /** Posts any parameters, signed with an account's token (recorded payloads, odd cases). */
  postWebhook(
    url: string,
    params: Record<string, string>,
    options?: PostOptions & { accountSid?: string },
  ): Promise<HttpAnswer>
  /** Posts one status callback for an accepted message now (to its StatusCallback or `url`). */
  sendStatus(messageSid: string, step: StatusStep, url?: string): Promise<SentCallback>
  close(): Promise<void>
}
