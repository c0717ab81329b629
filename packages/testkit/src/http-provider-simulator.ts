/**
 * @module
 * The far side of the generic-http plugin over real HTTP: it takes the plugin's outbound POSTs,
 * can fail on demand, and plays the customer's system by POSTing signed messages and receipts to
 * the connector's webhooks.
 */
import { randomUUID } from 'node:crypto'
import {
  type InboundPayload,
  type OutboundPayload,
  SIGNATURE_HEADER,
  signBody,
  verifySignature,
} from '@plugboard/plugin-generic-http'
import { errorResponse, json, type ReceiptStatus } from '@plugboard/sdk'
import { Hono } from 'hono'
import { createPoster, type HttpAnswer, listenLoopback } from './simulator-http.js'
import { createRecorder, type WaitForOptions } from './simulator-recorder.js'
import { createTasks } from './simulator-tasks.js'

export type { HttpAnswer } from './simulator-http.js'
export type { WaitForOptions } from './simulator-recorder.js'

export interface HttpProviderSimulatorOptions {
  /** Default 0: any free port on 127.0.0.1. */
  port?: number
  /** The connector's `sharedSecret`: outbound POSTs must be signed, inbound ones are. */
  secret?: string
  /** `http://host/webhooks/<connectorId>`; settable later with `setWebhookBase`. */
  webhookBase?: string
  /** Receipts sent, in order, after each newly accepted outbound message. */
  autoReceipts?: readonly ReceiptStatus[]
  /** Pause before each automatic receipt; default 20 ms. */
  receiptDelayMs?: number
  /** Hold every answer to `/messages` this long; default 0. */
  delayMs?: number
}

/** An outbound message the simulator accepted: the JSON the plugin POSTed, plus what it made of it. */
export type ProviderMessage = OutboundPayload & {
  /** The id the simulator answered with; receipts use it. */
  providerId: string
  /** The `Idempotency-Key` header, else the payload's `id`. */
  idempotencyKey: string
  /** True when this idempotency key was accepted before; the same provider id is returned. */
  duplicate: boolean
  /** The secret the POST was signed with (one of the accepted ones), when signatures are checked. */
  signedWith?: string
}

/** A customer message as the far side sends it; `id` defaults to a fresh one. */
export type ProviderInbound = Omit<InboundPayload, 'id'> & { id?: string }

export interface PostOptions {
  /** Send this signature instead of the correct one; `null` sends none. */
  signature?: string | null
}

/** A receipt the simulator posted to the connector, or tried to. */
export interface SentReceipt {
  providerId: string
  status: ReceiptStatus
  answer?: HttpAnswer
  error?: string
}

export interface HttpProviderSimulator {
  readonly url: string
  /** What the connector's `outboundUrl` should be. */
  readonly outboundUrl: string
  /** Outbound messages accepted, in arrival order, duplicates included. */
  readonly messages: readonly ProviderMessage[]
  /** Every request to `/messages`, failed ones included. */
  readonly attempts: number
  /** Receipts posted to the connector, automatic ones included. */
  readonly receipts: readonly SentReceipt[]
  waitFor(
    predicate: (message: ProviderMessage) => boolean,
    options?: WaitForOptions,
  ): Promise<ProviderMessage[]>
  /** Calls `listener` with each outbound message accepted from now on. */
  on(event: 'message', listener: (message: ProviderMessage) => void): void
  off(event: 'message', listener: (message: ProviderMessage) => void): void
  /** How many times a message with this idempotency key was accepted. */
  received(idempotencyKey: string): number
  /** Forgets messages, attempts and receipts; provider ids keep counting. */
  clear(): void
  /** `down` answers 503 (with `retryAfter`), or with `refuse` destroys connections unanswered. */
  setMode(mode: 'up' | 'down', options?: { retryAfter?: number | string; refuse?: boolean }): void
  /** The next `n` requests are answered `status` (default 500) with `{error: {code}}`. */
  failNext(
    n: number,
    status?: number,
    options?: { retryAfter?: number | string; code?: string },
  ): void
  /** Holds every answer to `/messages` this long from now on. */
  setDelay(ms: number): void
  setWebhookBase(url: string): void
  /**
   * The secrets outbound POSTs may be signed with (each message records which one it was);
   * the first also signs inbound POSTs. For tests that rotate credentials.
   */
  setSecrets(secrets: readonly string[]): void
  /** POSTs a customer message to `{webhookBase}/message`; a string is sent as the raw body. */
  sendInbound(message: ProviderInbound | string, options?: PostOptions): Promise<HttpAnswer>
  /** POSTs a receipt to `{webhookBase}/status`. */
  sendStatus(
    providerId: string,
    status: ReceiptStatus,
    extra?: { reason?: string; code?: string | number },
    options?: PostOptions,
  ): Promise<HttpAnswer>
  close(): Promise<void>
}

interface Failure {
  status: number
  retryAfter?: number | string
  code?: string
}

export async function startHttpProviderSimulator(
  options: HttpProviderSimulatorOptions = {},
): Promise<HttpProviderSimulator> {
  const recorder = createRecorder<ProviderMessage>('provider simulator messages', describeMessage)
  const receipts: SentReceipt[] = []
  const failures: Failure[] = []
  const providerIds = new Map<string, string>()
  const tasks = createTasks()
  const poster = createPoster()
  const receiptDelayMs = options.receiptDelayMs ?? 20
  let down: { retryAfter?: number | string; refuse?: boolean } | undefined
  let delayMs = options.delayMs ?? 0
  let webhookBase = options.webhookBase?.replace(/\/+$/, '')
  let secrets: readonly string[] = options.secret === undefined ? [] : [options.secret]
  let attempts = 0
  let nextId = 0

  const post = async (path: string, body: string, postOptions: PostOptions = {}) => {
    if (webhookBase === undefined) {
      throw new Error('provider simulator: no webhook base; call setWebhookBase(url)')
    }
    const headers: Record<string, string> = {}
    const signature =
      postOptions.signature !== undefined
        ? postOptions.signature
        : secrets[0] !== undefined
          ? signBody(secrets[0], body)
          : null
    if (signature !== null) headers[SIGNATURE_HEADER] = signature
    return poster.post(`${webhookBase}${path}`, body, headers)
  }

  const sendStatus: HttpProviderSimulator['sendStatus'] = (providerId, status, extra, opts) => {
    const body = JSON.stringify({ id: providerId, status, ...extra })
    const receipt: SentReceipt = { providerId, status }
    receipts.push(receipt)
    return tasks.track(
      post('/status', body, opts).then(
        (answer) => {
          receipt.answer = answer
          return answer
        },
        (error: unknown) => {
          receipt.error = error instanceof Error ? error.message : String(error)
          throw error
        },
      ),
    )
  }

  const autoReceipts = async (providerId: string) => {
    for (const status of options.autoReceipts ?? []) {
      await tasks.sleep(receiptDelayMs)
      if (tasks.closed) return
      await sendStatus(providerId, status).catch(() => {})
    }
  }

  const receive = async (req: Request): Promise<Response> => {
    attempts++
    if (delayMs > 0) await tasks.sleep(delayMs)
    if (tasks.closed) return simulatedFailure({ status: 503 })
    const failure = failures.shift() ?? (down ? { status: 503, ...down } : undefined)
    if (failure) return simulatedFailure(failure)
    const raw = new Uint8Array(await req.arrayBuffer())
    const signature = req.headers.get(SIGNATURE_HEADER)
    const signedWith = secrets.find((secret) => verifySignature(secret, raw, signature))
    if (secrets.length > 0 && signedWith === undefined) {
      return errorResponse(403, 'BAD_SIGNATURE', `${SIGNATURE_HEADER} is missing or wrong`)
    }
    let payload: OutboundPayload
    try {
      payload = JSON.parse(new TextDecoder().decode(raw)) as OutboundPayload
    } catch {
      return errorResponse(400, 'INVALID_JSON', 'the body is not valid JSON')
    }
    if (typeof payload !== 'object' || payload === null || typeof payload.to !== 'string') {
      return errorResponse(400, 'INVALID_PAYLOAD', 'to: a string is required')
    }
    const idempotencyKey = req.headers.get('idempotency-key') ?? String(payload.id)
    const known = providerIds.get(idempotencyKey)
    const providerId = known ?? `prov-${++nextId}`
    providerIds.set(idempotencyKey, providerId)
    recorder.push({
      ...payload,
      providerId,
      idempotencyKey,
      duplicate: known !== undefined,
      ...(signedWith === undefined ? {} : { signedWith }),
    })
    if (known === undefined && options.autoReceipts?.length) tasks.track(autoReceipts(providerId))
    return json({ id: providerId }, 201)
  }

  const app = new Hono()
  app.post('/messages', (c) => receive(c.req.raw))
  app.notFound((c) =>
    errorResponse(404, 'NOT_FOUND', `provider simulator has no ${c.req.method} ${c.req.path}`),
  )

  const server = await listenLoopback({
    fetch: (req) => app.fetch(req),
    port: options.port,
    refuse: (incoming) => {
      if (!down?.refuse) return false
      if (new URL(incoming.url ?? '/', 'http://x').pathname === '/messages') attempts++
      return true
    },
  })

  return {
    url: server.url,
    outboundUrl: `${server.url}/messages`,
    get messages() {
      return recorder.items
    },
    get attempts() {
      return attempts
    },
    receipts,
    waitFor: (predicate, waitOptions) => recorder.waitFor(predicate, waitOptions),
    on: (event, listener) => recorder.on(event, listener),
    off: (event, listener) => recorder.off(event, listener),
    received: (key) => recorder.items.filter((m) => m.idempotencyKey === key).length,
    clear() {
      recorder.clear()
      receipts.length = 0
      attempts = 0
    },
    setMode(mode, modeOptions = {}) {
      down = mode === 'down' ? modeOptions : undefined
    },
    failNext(n, status = 500, failOptions = {}) {
      for (let i = 0; i < n; i++) failures.push({ status, ...failOptions })
    },
    setDelay(ms) {
      delayMs = ms
    },
    setWebhookBase(url) {
      webhookBase = url.replace(/\/+$/, '')
    },
    setSecrets(next) {
      secrets = [...next]
    },
    sendInbound(message, opts) {
      const body =
        typeof message === 'string'
          ? message
          : JSON.stringify({ ...message, id: message.id ?? `in-${randomUUID()}` })
      return tasks.track(post('/message', body, opts))
    },
    sendStatus,
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

function simulatedFailure(failure: Failure): Response {
  const { status, retryAfter, code } = failure
  const res = errorResponse(
    status,
    code ?? 'SIMULATED_FAILURE',
    `provider simulator answers ${status}`,
  )
  if (retryAfter !== undefined) res.headers.set('retry-after', String(retryAfter))
  return res
}

function describeMessage(m: ProviderMessage): string {
  const { type, to, from, text } = m
  const detail = typeof text === 'string' ? ` "${text.slice(0, 60)}"` : ''
  return `${m.providerId} ${String(type)} ${String(from)} → ${String(to)}${detail}${m.duplicate ? ' (duplicate)' : ''}`
}
