/**
 * @module
 * The Graph API simulator's public types.
 */
import type { HttpAnswer } from '../simulator-http.js'
import type { WaitForOptions } from '../simulator-recorder.js'
import type { GraphAttachmentInput, GraphAttachmentRequest } from './attachments.js'
import type { GraphFailure } from './errors.js'

/** A Page of the simulated app and the token the Send API takes for it. */
export interface GraphPage {
  id: string
  accessToken: string
}

/** A message the Send API accepted. */
export interface GraphSentMessage {
  /** The `message_id` answered, `m_…`. */
  mid: string
  pageId: string
  /** The customer's PSID. */
  recipientId: string
  /** RESPONSE, UPDATE or MESSAGE_TAG. */
  messagingType: string
  tag: string | undefined
  /** The `message` object as posted. */
  message: Record<string, unknown>
  text: string | undefined
  attachment: { type: string; payload: Record<string, unknown> } | undefined
  quickReplies: Array<{ content_type: string; title?: string; payload?: string }> | undefined
  /** Epoch ms the simulator accepted it: what delivery and read watermarks compare with. */
  timestamp: number
}

/** A sender action (`typing_on`, `typing_off`, `mark_seen`) the Send API accepted. */
export interface GraphSenderAction {
  pageId: string
  recipientId: string
  action: string
  timestamp: number
}

/** What the simulator does after accepting a message, in this order. */
export type GraphAfterSend = 'echo' | 'delivery' | 'read'

export interface GraphSimulatorOptions {
  /** Default 0: any free port on 127.0.0.1. */
  port?: number
  /** The app's pages; default one with a random id and token. */
  pages?: GraphPage[]
  /** The app secret webhooks are signed with; default random. */
  appSecret?: string
  /** The Graph API version in paths; default `v21.0`. */
  version?: string
  /** The app's Callback URL; settable later with `setWebhookUrl`. */
  webhookUrl?: string
  /** Webhooks posted after each accepted message; default none. */
  afterSend?: GraphAfterSend[]
  /** List the message's id in `delivery.mids` of those deliveries; default false (watermark only). */
  deliveryMids?: boolean
  /** Pause before each `afterSend` webhook; default 10 ms. */
  afterSendDelayMs?: number
  /** How long a `timeout` failure holds the request; default 60 s. */
  timeoutHoldMs?: number
  /** Refuse RESPONSE messages outside 24 hours of the customer's last message; default true. */
  enforceWindow?: boolean
}

/** Options of the methods that post webhooks. */
export interface GraphPostOptions {
  /** Send this `X-Hub-Signature-256` instead of the right one; `null` sends none. */
  signature?: string | null
  /** Sign with this secret instead of the app's. */
  appSecret?: string
  /** Post here instead of the Callback URL. */
  url?: string
}

/** A webhook the simulator posted, with the connector's answer. */
export interface GraphWebhookPost {
  url: string
  /** The body as posted (Meta's JSON, with `\uXXXX` escapes). */
  body: string
  /** The events it carried. */
  events: Array<Record<string, unknown>>
  answer?: HttpAnswer
  error?: string
}

/** A posted customer message or postback, with its id. */
export interface GraphEventPost extends GraphWebhookPost {
  mid: string
  pageId: string
  psid: string
  timestamp: number
}

/** What the verification GET got back. */
export interface GraphVerificationAnswer {
  status: number
  body: string
  contentType: string | undefined
}

/** Common fields of customer events. */
export interface GraphCustomerInput {
  psid: string
  /** Default: the first page. */
  pageId?: string
  /** Epoch ms Meta gives the event; default now. Older times open an older window. */
  timestamp?: number
  mid?: string
}

export interface GraphSimulator {
  /** The simulator's origin. */
  readonly url: string
  /** `{url}/{version}`: the connector's `apiBaseUrl`. */
  readonly apiBaseUrl: string
  readonly appSecret: string
  /** The first page. */
  readonly page: GraphPage
  readonly pages: readonly GraphPage[]
  /** Messages the Send API accepted, in order. Count sends here. */
  readonly messages: readonly GraphSentMessage[]
  /** Sender actions accepted, in order. */
  readonly actions: readonly GraphSenderAction[]
  /** Every POST to the Send API, failed and refused ones included. */
  readonly attempts: number
  /** Webhooks posted, with the connector's answers. */
  readonly webhooks: readonly GraphWebhookPost[]
  /** GETs of attachments. */
  readonly attachmentRequests: readonly GraphAttachmentRequest[]
  waitFor(
    predicate: (message: GraphSentMessage) => boolean,
    options?: WaitForOptions,
  ): Promise<GraphSentMessage[]>
  waitForActions(
    predicate: (action: GraphSenderAction) => boolean,
    options?: WaitForOptions,
  ): Promise<GraphSenderAction[]>
  on(event: 'message', listener: (message: GraphSentMessage) => void): void
  off(event: 'message', listener: (message: GraphSentMessage) => void): void
  /** Forgets messages, actions, attempts and webhooks (conversations stay). */
  clear(): void
  /** The next `n` Send API requests fail (default: 500 with code 2). */
  failNext(n: number, failure?: GraphFailure): void
  /** `down`: every Send API request fails (default: 503 with code 2) until `up`. */
  setMode(mode: 'up' | 'down', failure?: GraphFailure): void
  /** Webhooks after each message accepted from now on. */
  setAfterSend(steps: GraphAfterSend[]): void
  /** Sends to this customer get 551, as when they blocked the page. */
  block(psid: string, pageId?: string): void
  /**
   * Makes a customer known to a page without posting anything, as if they wrote at
   * `lastMessageAt` (default now): the connector has no record of it.
   */
  addCustomer(psid: string, options?: { pageId?: string; lastMessageAt?: number }): void
  /** A fresh random PSID. */
  newPsid(): string
  setWebhookUrl(url: string): void
  /** Meta's verification GET to the Callback URL (or `url`). */
  verify(input: {
    verifyToken: string
    challenge?: string
    mode?: string
    url?: string
  }): Promise<GraphVerificationAnswer>
  /** Posts a signed customer text, or a tapped quick reply with `quickReplyPayload`. */
  sendText(
    input: GraphCustomerInput & { text: string; quickReplyPayload?: string; replyTo?: string },
    options?: GraphPostOptions,
  ): Promise<GraphEventPost>
  /** Posts a signed message with attachments (served by the simulator) and optional text. */
  sendAttachments(
    input: GraphCustomerInput & { attachments: GraphAttachmentInput[]; text?: string },
    options?: GraphPostOptions,
  ): Promise<GraphEventPost>
  /** Posts a signed postback (a tapped template button or menu item). */
  sendPostback(
    input: GraphCustomerInput & {
      title: string
      payload: string
      referral?: Record<string, unknown>
    },
    options?: GraphPostOptions,
  ): Promise<GraphEventPost>
  /**
   * Posts a delivery watermark; default: the time of the last message sent to the customer.
   * `mids` lists ids in `delivery.mids`.
   */
  sendDelivery(
    input: { psid: string; pageId?: string; watermark?: number; mids?: string[] },
    options?: GraphPostOptions,
  ): Promise<GraphWebhookPost>
  /** Posts a read watermark; default as for deliveries. */
  sendRead(
    input: { psid: string; pageId?: string; watermark?: number },
    options?: GraphPostOptions,
  ): Promise<GraphWebhookPost>
  /** Posts an echo of a page message (as `message_echoes` subscribers get). */
  sendEcho(
    input: GraphCustomerInput & { text: string },
    options?: GraphPostOptions,
  ): Promise<GraphEventPost>
  /**
   * Posts events as one batch: each `[pageId, events]` is an entry. Events are webhook event
   * objects (recorded payloads, odd cases).
   */
  postEvents(
    entries: ReadonlyArray<readonly [string, Array<Record<string, unknown>>]>,
    options?: GraphPostOptions,
  ): Promise<GraphWebhookPost>
  /** Posts any body, signed (unless told otherwise) with the app secret. */
  postRaw(body: string, options?: GraphPostOptions): Promise<GraphWebhookPost>
  close(): Promise<void>
}
