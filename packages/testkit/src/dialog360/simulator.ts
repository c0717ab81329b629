/**
 * @module
 * 360dialog's WhatsApp API over real HTTP on loopback, as the `360dialog` plugin sees it
 * (specs/providers.md §2): the messages API with the D360-API-KEY and Cloud API answers, Graph
 * errors, media lookup/download/upload, webhook registration, and customer messages and statuses
 * posted to the registered webhook (Cloud API or On-Premise shape, signed when a partner secret is
 * set), with failures on demand. Point a connector's host URL at `url`.
 */
import { Hono } from 'hono'
import { createPoster, type HttpAnswer, listenLoopback } from '../simulator-http.js'
import { createRecorder } from '../simulator-recorder.js'
import { createTasks } from '../simulator-tasks.js'
import { metaId, apiKey as newApiKey, phoneNumber as newPhoneNumber, wamid } from './ids.js'
import { messagePayload } from './inbound.js'
import { createMediaStore } from './media.js'
import { createMessagesApi } from './messages-api.js'
import {
  type StatusStep,
  statusEvent,
  unixTime,
  type WebhookShape,
  webhookBody,
} from './payloads.js'
import { DIALOG360_SIGNATURE_HEADER, signDialog360Webhook } from './signing.js'
import type {
  Dialog360Channel,
  Dialog360Failure,
  Dialog360Simulator,
  Dialog360SimulatorOptions,
  PostOptions,
  SentWebhook,
  SimulatedSend,
  WebhookRegistration,
} from './types.js'
import { createWebhookConfig } from './webhook-config.js'

const DAY_MS = 24 * 3600_000

export async function startDialog360Simulator(
  options: Dialog360SimulatorOptions = {},
): Promise<Dialog360Simulator> {
  const channels: Dialog360Channel[] = (
    options.channels && options.channels.length > 0 ? options.channels : [{}]
  ).map((c) => ({
    phoneNumber: c.phoneNumber ?? newPhoneNumber(),
    apiKey: c.apiKey ?? newApiKey(),
    phoneNumberId: c.phoneNumberId ?? metaId(),
    wabaId: c.wabaId ?? metaId(),
  }))
  const recorder = createRecorder<SimulatedSend>('360dialog simulator messages', describeSend)
  const webhookRecorder = createRecorder<SentWebhook>('360dialog webhooks', describeWebhook)
  const registrationRecorder = createRecorder<WebhookRegistration>(
    '360dialog webhook registrations',
    (r) => `${r.phoneNumber} → ${r.url}`,
  )
  const hooks = new Map<string, { url: string; headers: Record<string, string> }>()
  const failures: Dialog360Failure[] = []
  const nextSequences: StatusStep[][] = []
  const closedWindows = new Set<string>()
  const lastInbound = new Map<string, number>()
  const routes = new Map(Object.entries(options.routes ?? {}))
  const reads: string[] = []
  const tasks = createTasks()
  const poster = createPoster()
  const media = createMediaStore()
  const shape: WebhookShape = options.shape ?? 'cloud'
  let sequence: StatusStep[] = options.statusSequence ?? ['sent', 'delivered']
  let down: Dialog360Failure | undefined
  let attempts = 0

  const channelByKey = (key: string | null) =>
    key === null ? undefined : channels.find((c) => c.apiKey === key)
  const channelOf = (phoneNumber: string | undefined): Dialog360Channel => {
    if (phoneNumber === undefined) return channels[0]!
    const digits = phoneNumber.replace(/\D/g, '')
    const channel = channels.find((c) => c.phoneNumber === digits)
    if (!channel) throw new Error(`360dialog simulator: no number ${phoneNumber}`)
    return channel
  }
  const hookOf = (channel: Dialog360Channel) =>
    hooks.get(channel.phoneNumber) ??
    (options.webhookUrl
      ? { url: options.webhookUrl, headers: options.webhookHeaders ?? {} }
      : undefined)
  const deliveryUrl = (url: string): string => {
    for (const [publicBase, actualBase] of routes) {
      if (url.startsWith(publicBase))
        return actualBase.replace(/\/+$/, '') + url.slice(publicBase.length)
    }
    return url
  }

  /** Posts a webhook body to a number's webhook with its headers, signed as configured. */
  const deliver = async (
    channel: Dialog360Channel,
    value: Record<string, unknown> | string,
    about: Pick<SentWebhook, 'kind' | 'messageId' | 'status'>,
    postOptions: PostOptions = {},
  ): Promise<SentWebhook> => {
    const hook = hookOf(channel)
    const url = postOptions.url ?? hook?.url
    // A recorded payload goes out byte for byte, as its signature covers the raw body.
    const body = typeof value === 'string' ? value : JSON.stringify(value)
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': '360dialog-webhooks/1.0',
      ...(postOptions.headers === undefined ? (hook?.headers ?? {}) : (postOptions.headers ?? {})),
    }
    const signature =
      postOptions.signature === undefined
        ? options.partnerSecret && signDialog360Webhook(options.partnerSecret, body)
        : postOptions.signature
    if (signature) headers[DIALOG360_SIGNATURE_HEADER] = signature
    const sent: SentWebhook = { ...about, url: url ?? '', body, headers }
    if (!url) {
      sent.error = `no webhook URL for ${channel.phoneNumber}; register one or call setWebhook`
    } else {
      try {
        sent.answer = await poster.post(deliveryUrl(url), body, headers)
      } catch (error) {
        sent.error = error instanceof Error ? error.message : String(error)
      }
    }
    webhookRecorder.push(sent)
    return sent
  }

  const postStatus = (send: SimulatedSend, step: StatusStep, postOptions: PostOptions = {}) => {
    const channel = channelOf(send.from)
    const event = statusEvent(send.id, send.to, step)
    const value = webhookBody(channel, { statuses: [event] }, postOptions.shape ?? shape)
    return deliver(
      channel,
      value,
      { kind: 'status', messageId: send.id, status: String(event.status) },
      postOptions,
    )
  }

  const playSequence = (send: SimulatedSend, steps: readonly StatusStep[]) => {
    if (steps.length === 0) return
    void tasks.track(
      (async () => {
        for (const step of steps) {
          await tasks.sleep(options.statusDelayMs ?? 10)
          if (tasks.closed) return
          await postStatus(send, step)
        }
      })(),
    )
  }

  const windowKey = (channel: Dialog360Channel, customer: string) =>
    `${channel.phoneNumber}:${customer.replace(/\D/g, '')}`

  const messagesApi = createMessagesApi({
    channelByKey,
    nextFailure: () => failures.shift() ?? down,
    hold: () => tasks.sleep(options.timeoutHoldMs ?? 60_000),
    windowClosed(channel, customer) {
      if (closedWindows.has(customer.replace(/\D/g, ''))) return true
      if (!options.enforceWindow) return false
      const last = lastInbound.get(windowKey(channel, customer))
      return last === undefined || Date.now() - last > DAY_MS
    },
    attempt: () => {
      attempts++
    },
    accepted(send) {
      recorder.push(send)
      playSequence(send, nextSequences.shift() ?? sequence)
    },
    read: (messageId) => {
      reads.push(messageId)
    },
  })

  const webhookConfig = createWebhookConfig({
    channelByKey,
    current: (channel) => hookOf(channel),
    registered(registration) {
      hooks.set(registration.phoneNumber, { url: registration.url, headers: registration.headers })
      registrationRecorder.push(registration)
    },
  })

  const authorized = (req: Request) => channelByKey(req.headers.get('d360-api-key')) !== undefined
  const app = new Hono()
  app.post('/messages', (c) => messagesApi(c.req.raw))
  for (const path of ['/v1/configs/webhook', '/configs/webhook']) {
    app.post(path, (c) => webhookConfig.set(c.req.raw))
    app.get(path, (c) => webhookConfig.get(c.req.raw))
  }
  app.get('/whatsapp_business/attachments/*', (c) =>
    media.download(new URL(c.req.url), authorized(c.req.raw)),
  )
  app.get('/whatsapp_business/attachments', (c) =>
    media.download(new URL(c.req.url), authorized(c.req.raw)),
  )
  app.post('/media', (c) => media.upload(c.req.raw, authorized(c.req.raw)))
  app.get('/:id', (c) => media.lookup(c.req.param('id'), authorized(c.req.raw)))
  app.delete('/:id', (c) => media.remove(c.req.param('id'), authorized(c.req.raw)))
  app.notFound((c) =>
    Response.json(
      { error: { message: `360dialog simulator has no ${c.req.method} ${c.req.path}`, code: 100 } },
      { status: 404 },
    ),
  )

  const server = await listenLoopback({
    fetch: (req) => app.fetch(req),
    ...(options.port === undefined ? {} : { port: options.port }),
    refuse: (incoming) => {
      const path = new URL(incoming.url ?? '/', 'http://x').pathname
      if (incoming.method !== 'POST' || path !== '/messages') return false
      const next = failures[0] ?? down
      if (next?.kind !== 'reset') return false
      if (failures[0] === next) failures.shift()
      attempts++
      return true
    },
  })

  return {
    url: server.url,
    channel: channels[0]!,
    channels,
    get messages() {
      return recorder.items
    },
    get attempts() {
      return attempts
    },
    reads,
    get registrations() {
      return registrationRecorder.items
    },
    get webhooks() {
      return webhookRecorder.items
    },
    mediaRequests: media.requests,
    waitFor: (predicate, waitOptions) => recorder.waitFor(predicate, waitOptions),
    waitForWebhooks: (predicate, waitOptions) => webhookRecorder.waitFor(predicate, waitOptions),
    waitForRegistration: (predicate = () => true, waitOptions) =>
      registrationRecorder.waitFor(predicate, waitOptions),
    on: (event, listener) => recorder.on(event, listener),
    off: (event, listener) => recorder.off(event, listener),
    clear() {
      recorder.clear()
      webhookRecorder.clear()
      reads.length = 0
      attempts = 0
    },
    setStatusSequence(steps) {
      sequence = [...steps]
    },
    nextStatusSequence(steps) {
      nextSequences.push([...steps])
    },
    failNext(n, failure = {}) {
      for (let i = 0; i < n; i++) failures.push(failure)
    },
    setMode(mode, failure = { status: 503 }) {
      down = mode === 'down' ? failure : undefined
    },
    closeWindow(customer) {
      closedWindows.add(customer.replace(/\D/g, ''))
    },
    openWindow(customer) {
      closedWindows.delete(customer.replace(/\D/g, ''))
    },
    setWebhook(url, headers = {}, phoneNumber) {
      hooks.set(channelOf(phoneNumber).phoneNumber, { url, headers })
    },
    route(publicBase, actualBase) {
      routes.set(publicBase, actualBase)
    },
    addMedia: (input) => media.add(input).id,
    sendInbound(input, postOptions = {}) {
      const channel = channelOf(input.to)
      const from = input.from.replace(/\D/g, '')
      const payload = messagePayload(input, (m) =>
        media.add({
          content: m.content,
          mimeType: m.mimeType,
          ...(m.filename === undefined ? {} : { filename: m.filename }),
        }),
      )
      const message = {
        ...(input.context
          ? { context: { from: input.context.from ?? channel.phoneNumber, id: input.context.id } }
          : {}),
        from,
        id: input.id ?? wamid(),
        timestamp: unixTime(),
        ...payload,
      }
      lastInbound.set(windowKey(channel, from), Date.now())
      const value = webhookBody(
        channel,
        {
          contacts: [{ profile: { name: input.name ?? 'Test Customer' }, wa_id: from }],
          messages: [message],
        },
        postOptions.shape ?? shape,
      )
      return tasks.track(
        deliver(channel, value, { kind: 'message', messageId: message.id }, postOptions),
      )
    },
    sendStatus(messageId, step, postOptions) {
      const send = recorder.items.find((m) => m.id === messageId)
      if (!send) throw new Error(`360dialog simulator: no accepted message ${messageId}`)
      return tasks.track(postStatus(send, step, postOptions))
    },
    postWebhook(body, postOptions = {}) {
      const channel = channelOf(postOptions.phoneNumber)
      const value = typeof body === 'string' ? body : (body as Record<string, unknown>)
      return tasks.track(
        deliver(channel, value, { kind: 'raw', messageId: undefined }, postOptions),
      )
    },
    async close() {
      if (tasks.closed) return
      tasks.close()
      recorder.abort('closed')
      webhookRecorder.abort('closed')
      registrationRecorder.abort('closed')
      await server.close()
      await poster.close()
      await tasks.drain()
    },
  }
}

function describeSend(m: SimulatedSend): string {
  const text = m.text === undefined ? '' : ` "${m.text.slice(0, 60)}"`
  return `${m.id.slice(0, 20)}… ${m.type} ${m.from} → ${m.to}${text}`
}

function describeWebhook(w: SentWebhook): string {
  const outcome = w.answer ? `answered ${w.answer.status}` : `failed: ${w.error}`
  return `${w.kind}${w.status ? ` ${w.status}` : ''} ${w.messageId ?? ''} → ${w.url} (${outcome})`
}

export type { HttpAnswer }
