/**
 * @module
 * A stand-in for CCM over real HTTP: it takes the customer messages and receipts a host
 * delivers to `{CCM_URL}/message/receive`, can fail on demand, and can play an agent that
 * answers through the host's `/ccm-msg/receive`.
 */
import { randomUUID } from 'node:crypto'
import {
  type CimBody,
  type CimMessage,
  type Customer,
  conversationKey,
  errorResponse,
  json,
  parseCimMessage,
  text,
} from '@plugboard/sdk'
import { Hono } from 'hono'
import {
  type ChannelFixture,
  mountUnifiedAdmin,
  type UnifiedAdminSimulator,
} from './ccm-unified-admin.js'
import { createPoster, type HttpAnswer, listenLoopback } from './simulator-http.js'
import { createRecorder, type WaitForOptions } from './simulator-recorder.js'
import { createTasks } from './simulator-tasks.js'

export type { HttpAnswer } from './simulator-http.js'
export type { WaitForOptions } from './simulator-recorder.js'

export type CcmMode = 'up' | 'down' | 'error500' | 'slow'

export interface CcmModeOptions {
  /** `down` (and `error500`): the `Retry-After` value to send, seconds or an HTTP date. */
  retryAfter?: number | string
  /** `down`: destroy each connection without answering instead of answering 503. */
  refuse?: boolean
  /** `slow`: how long to hold each answer; default 1000 ms. */
  delayMs?: number
}

export interface CcmSimulatorOptions {
  /** Default 0: any free port on 127.0.0.1. */
  port?: number
  /** Answer each customer PLAIN message with an agent message `Echo: <text>` through the host. */
  echo?: boolean
  /** The host's base URL, for `echo` and `sendOutbound`; settable later with `setHostUrl`. */
  hostUrl?: string
  /** Channels and connector attributes Unified Admin serves (and pushes changes of). */
  unifiedAdmin?: readonly ChannelFixture[]
}

/** An agent message in a few fields; `sendOutbound` fills in the rest as CCM would. */
export interface OutboundDraft {
  serviceIdentifier: string
  /** The customer's address (`channelCustomerIdentifier`). */
  customerId: string
  /** A PLAIN body; ignored when `body` is given. */
  text?: string
  body?: CimBody
  id?: string
  senderName?: string
  customer?: Customer
}

/** A message the simulator posted to the host (an echo or a `sendOutbound`). */
export interface SentToHost {
  message: unknown
  status?: number
  body?: unknown
  error?: string
}

export interface CcmSimulator {
  /** What `CCM_URL` should be set to. */
  readonly url: string
  /** CIM messages accepted, in arrival order (a redelivered message appears again). */
  readonly messages: readonly CimMessage[]
  /** Every request to `/message/receive`, failed ones included. */
  readonly attempts: number
  /** What the simulator posted to the host, in order. */
  readonly sent: readonly SentToHost[]
  waitFor(
    predicate: (message: CimMessage) => boolean,
    options?: WaitForOptions,
  ): Promise<CimMessage[]>
  /** Calls `listener` with each message accepted from now on. */
  on(event: 'message', listener: (message: CimMessage) => void): void
  off(event: 'message', listener: (message: CimMessage) => void): void
  /** How many times a message with this CIM id was accepted. */
  received(id: string): number
  /** Forgets messages, attempts and sent messages; the mode stays. */
  clear(): void
  setMode(mode: CcmMode, options?: CcmModeOptions): void
  /** The next `n` requests are answered `status` (default 500) and not recorded. */
  failNext(n: number, status?: number, options?: { retryAfter?: number | string }): void
  setHostUrl(url: string): void
  /**
   * POSTs to the host's `/ccm-msg/receive`: a draft is completed into an agent message, any
   * other object is sent as it is and a string as raw bytes (for malformed-input tests).
   */
  sendOutbound(message: OutboundDraft | CimMessage | object | string): Promise<HttpAnswer>
  /** Unified Admin: channels and attributes served to the host, changes pushed to it. */
  readonly unifiedAdmin: UnifiedAdminSimulator
  close(): Promise<void>
}

const RECEIVE_PATHS = ['/message/receive', '/ccm/message/receive']
const AGENT = {
  id: 'demo-agent',
  type: 'AGENT' as const,
  senderName: 'Demo Agent',
  additionalDetail: null,
}

export async function startCcmSimulator(options: CcmSimulatorOptions = {}): Promise<CcmSimulator> {
  const recorder = createRecorder<CimMessage>('CCM simulator messages', describeMessage)
  const sent: SentToHost[] = []
  const failures: Array<{ status: number; retryAfter?: number | string }> = []
  const tasks = createTasks()
  const poster = createPoster()
  const conversations = new Map<string, { conversationId: string; customerId: string }>()
  let mode: CcmMode = 'up'
  let modeOptions: CcmModeOptions = {}
  let attempts = 0
  let hostUrl = options.hostUrl?.replace(/\/+$/, '')

  const failure = (): Response | undefined => {
    const next = failures.shift()
    if (next) return simulatedFailure(next.status, next.retryAfter)
    if (mode === 'down') return simulatedFailure(503, modeOptions.retryAfter)
    if (mode === 'error500') return simulatedFailure(500, modeOptions.retryAfter)
    return undefined
  }

  const receive = async (req: Request): Promise<Response> => {
    attempts++
    const failed = failure()
    if (failed) return failed
    if (mode === 'slow') await tasks.sleep(modeOptions.delayMs ?? 1000)
    if (tasks.closed) return simulatedFailure(503)
    let data: unknown
    try {
      data = await req.json()
    } catch {
      return errorResponse(400, 'INVALID_JSON', 'the body is not valid JSON')
    }
    const parsed = parseCimMessage(data)
    if (!parsed.ok) {
      const message = parsed.issues.map((i) => `${i.path || '(message)'}: ${i.message}`).join('; ')
      return json({ error: { code: 'INVALID_CIM_MESSAGE', message }, issues: parsed.issues }, 400)
    }
    recorder.push(parsed.message)
    if (options.echo && isCustomerText(parsed.message)) echo(parsed.message)
    return json({ status: 'ok', id: parsed.message.id })
  }

  const postToHost = async (message: unknown): Promise<HttpAnswer> => {
    if (hostUrl === undefined) throw new Error('CCM simulator: no host URL; call setHostUrl(url)')
    const record: SentToHost = { message }
    sent.push(record)
    try {
      const body = typeof message === 'string' ? message : JSON.stringify(message)
      const answer = await poster.post(`${hostUrl}/ccm-msg/receive`, body)
      Object.assign(record, answer)
      return answer
    } catch (error) {
      record.error = error instanceof Error ? error.message : String(error)
      throw error
    }
  }

  const conversationOf = (serviceIdentifier: string, customerId: string) => {
    const key = conversationKey({
      header: { channelData: { serviceIdentifier, channelCustomerIdentifier: customerId } },
    })
    let conversation = conversations.get(key)
    if (!conversation) {
      conversation = { conversationId: hexId(), customerId: hexId() }
      conversations.set(key, conversation)
    }
    return conversation
  }

  const complete = (draft: OutboundDraft): CimMessage => {
    const { serviceIdentifier, customerId } = draft
    const conversation = conversationOf(serviceIdentifier, customerId)
    return {
      id: draft.id ?? randomUUID(),
      header: {
        sender: { ...AGENT, senderName: draft.senderName ?? AGENT.senderName },
        channelData: {
          channelCustomerIdentifier: customerId,
          serviceIdentifier,
          requestPriority: 0,
          additionalAttributes: [],
        },
        language: {},
        timestamp: Date.now(),
        securityInfo: {},
        stamps: [],
        intent: null,
        entities: null,
        conversationId: conversation.conversationId,
        customer: draft.customer ?? {
          _id: conversation.customerId,
          firstName: customerId,
          phoneNumber: [customerId],
          isAnonymous: true,
          __v: 0,
        },
        originalMessageId: null,
        providerMessageId: null,
        schedulingMetaData: null,
      },
      body: draft.body ?? text(draft.text ?? ''),
    }
  }

  const echo = (inbound: CimMessage) => {
    const { serviceIdentifier, channelCustomerIdentifier } = inbound.header.channelData
    const reply = complete({
      serviceIdentifier,
      customerId: channelCustomerIdentifier,
      text: `Echo: ${String(inbound.body.markdownText ?? '')}`,
      customer: inbound.header.customer ?? undefined,
    })
    // After the answer to the host is on its way, as CCM routes to an agent asynchronously.
    setImmediate(() => {
      if (tasks.closed) return
      if (hostUrl === undefined) {
        sent.push({ message: reply, error: 'no host URL; call setHostUrl(url)' })
        return
      }
      tasks.track(postToHost(reply)).catch(() => {})
    })
  }

  const app = new Hono()
  for (const path of RECEIVE_PATHS) app.post(path, (c) => receive(c.req.raw))
  const unifiedAdmin = mountUnifiedAdmin(
    app,
    {
      failure: () =>
        mode === 'down'
          ? simulatedFailure(503, modeOptions.retryAfter)
          : mode === 'error500'
            ? simulatedFailure(500, modeOptions.retryAfter)
            : undefined,
      post: (path, body, headers) => {
        if (hostUrl === undefined)
          throw new Error('CCM simulator: no host URL; call setHostUrl(url)')
        return poster.post(`${hostUrl}${path}`, body, headers)
      },
      track: (promise) => tasks.track(promise),
    },
    options.unifiedAdmin,
  )
  app.notFound((c) =>
    errorResponse(404, 'NOT_FOUND', `CCM simulator has no ${c.req.method} ${c.req.path}`),
  )

  const server = await listenLoopback({
    fetch: (req) => app.fetch(req),
    port: options.port,
    refuse: (incoming) => {
      if (mode !== 'down' || !modeOptions.refuse) return false
      if (RECEIVE_PATHS.includes(new URL(incoming.url ?? '/', 'http://x').pathname)) attempts++
      return true
    },
  })

  return {
    url: server.url,
    get messages() {
      return recorder.items
    },
    get attempts() {
      return attempts
    },
    sent,
    waitFor: (predicate, waitOptions) => recorder.waitFor(predicate, waitOptions),
    on: (event, listener) => recorder.on(event, listener),
    off: (event, listener) => recorder.off(event, listener),
    received: (id) => recorder.items.filter((m) => m.id === id).length,
    clear() {
      recorder.clear()
      sent.length = 0
      attempts = 0
    },
    setMode(next, nextOptions = {}) {
      mode = next
      modeOptions = nextOptions
    },
    failNext(n, status = 500, failOptions = {}) {
      for (let i = 0; i < n; i++) failures.push({ status, retryAfter: failOptions.retryAfter })
    },
    setHostUrl(url) {
      hostUrl = url.replace(/\/+$/, '')
    },
    sendOutbound(message) {
      return tasks.track(postToHost(isDraft(message) ? complete(message) : message))
    },
    unifiedAdmin,
    async close() {
      if (tasks.closed) return
      tasks.close()
      recorder.abort('closed')
      await server.close()
      await poster.close()
      await tasks.drain()
    },
  }
}

function simulatedFailure(status: number, retryAfter?: number | string): Response {
  const res = errorResponse(status, 'SIMULATED_FAILURE', `CCM simulator answers ${status}`)
  if (retryAfter !== undefined) res.headers.set('retry-after', String(retryAfter))
  return res
}

function isCustomerText(message: CimMessage): boolean {
  const sender = message.header.sender.type
  return (
    message.body.type === 'PLAIN' &&
    sender !== 'AGENT' &&
    sender !== 'BOT' &&
    sender !== 'SYSTEM' &&
    typeof message.body.markdownText === 'string'
  )
}

function isDraft(value: unknown): value is OutboundDraft {
  return (
    typeof value === 'object' &&
    value !== null &&
    !('header' in value) &&
    typeof (value as OutboundDraft).serviceIdentifier === 'string' &&
    typeof (value as OutboundDraft).customerId === 'string'
  )
}

function describeMessage(m: CimMessage): string {
  const { serviceIdentifier, channelCustomerIdentifier } = m.header.channelData
  const detail =
    typeof m.body.markdownText === 'string' && m.body.markdownText !== ''
      ? ` "${m.body.markdownText.slice(0, 60)}"`
      : typeof m.body.status === 'string'
        ? ` ${m.body.status} of ${String(m.body.messageId)}`
        : ''
  return `${m.id} ${m.body.type} from ${m.header.sender.type} ${serviceIdentifier}/${channelCustomerIdentifier}${detail}`
}

// CX's own ids are Mongo ObjectIds: 24 hex digits.
function hexId(): string {
  return randomUUID().replaceAll('-', '').slice(0, 24)
}
