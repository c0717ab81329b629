/**
 * @module
 * Meta's Graph API for Messenger over real HTTP on loopback: the Send API (page tokens, Graph's
 * checks and error bodies, the messaging window), signed webhooks (messages, attachments served
 * here, quick replies, postbacks, delivery and read watermarks, echoes), the verification GET,
 * and failures on demand. Point a connector's API base URL at `apiBaseUrl`.
 */
import { Hono } from 'hono'
import { Agent, request } from 'undici'
import { createPoster, listenLoopback } from '../simulator-http.js'
import { createRecorder } from '../simulator-recorder.js'
import { createTasks } from '../simulator-tasks.js'
import { createAttachmentStore } from './attachments.js'
import { createConversations } from './conversations.js'
import { type GraphFailure, graphErrorResponse } from './errors.js'
import {
  deliveryEvent,
  echoEvent,
  envelope,
  messageEvent,
  type Parties,
  postbackEvent,
  readEvent,
} from './events.js'
import { accessToken, messageId, appSecret as newAppSecret, numericId } from './ids.js'
import { createSendApi } from './send-api.js'
import { metaJson, signGraphWebhook, signGraphWebhookSha1 } from './signing.js'
import type {
  GraphAfterSend,
  GraphCustomerInput,
  GraphEventPost,
  GraphPage,
  GraphPostOptions,
  GraphSenderAction,
  GraphSentMessage,
  GraphSimulator,
  GraphSimulatorOptions,
  GraphWebhookPost,
} from './types.js'

const SEND_PATH = /^\/v\d+\.\d+\/(me|\d+)\/messages$/
const APP_ID = '1234567890123456'

export async function startGraphSimulator(
  options: GraphSimulatorOptions = {},
): Promise<GraphSimulator> {
  const pages: GraphPage[] =
    options.pages && options.pages.length > 0
      ? options.pages.map((p) => ({ ...p }))
      : [{ id: numericId(15), accessToken: accessToken() }]
  const secret = options.appSecret ?? newAppSecret()
  const version = options.version ?? 'v21.0'
  const recorder = createRecorder<GraphSentMessage>('Graph simulator messages', describeMessage)
  const actionRecorder = createRecorder<GraphSenderAction>(
    'Graph simulator sender actions',
    (a) => `${a.action} → ${a.recipientId} (page ${a.pageId})`,
  )
  const webhooks: GraphWebhookPost[] = []
  const failures: GraphFailure[] = []
  const conversations = createConversations()
  const tasks = createTasks()
  const poster = createPoster()
  const agent = new Agent({ keepAliveTimeout: 1000 })
  let afterSend: GraphAfterSend[] = options.afterSend ?? []
  let down: GraphFailure | undefined
  let webhookUrl = options.webhookUrl
  let attempts = 0
  let baseUrl = ''
  const attachments = createAttachmentStore(() => baseUrl)

  const pageOf = (pageId: string | undefined): GraphPage => {
    const page = pageId === undefined ? pages[0]! : pages.find((p) => p.id === pageId)
    if (!page) throw new Error(`Graph simulator: no page ${pageId}`)
    return page
  }

  const post = async (
    events: ReadonlyArray<readonly [string, Array<Record<string, unknown>>]>,
    postOptions: GraphPostOptions = {},
  ): Promise<GraphWebhookPost> => {
    const now = Date.now()
    const body = metaJson(
      envelope(events.map(([pageId, messaging]) => ({ pageId, time: now, messaging }))),
    )
    return postBody(
      body,
      events.flatMap(([, list]) => list),
      postOptions,
    )
  }

  const postBody = async (
    body: string,
    events: Array<Record<string, unknown>>,
    postOptions: GraphPostOptions = {},
  ): Promise<GraphWebhookPost> => {
    const url = postOptions.url ?? webhookUrl
    if (!url) throw new Error('Graph simulator: no webhook URL; call setWebhookUrl(url)')
    const signingSecret = postOptions.appSecret ?? secret
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'facebookexternalua',
      'x-hub-signature': signGraphWebhookSha1(signingSecret, body),
    }
    const signature =
      postOptions.signature === undefined
        ? signGraphWebhook(signingSecret, body)
        : postOptions.signature
    if (signature !== null) headers['x-hub-signature-256'] = signature
    const posted: GraphWebhookPost = { url, body, events }
    webhooks.push(posted)
    try {
      posted.answer = await tasks.track(poster.post(url, body, headers))
    } catch (error) {
      posted.error = error instanceof Error ? error.message : String(error)
    }
    return posted
  }

  const customerEvent = async (
    input: GraphCustomerInput,
    build: (parties: Parties, mid: string, timestamp: number) => Record<string, unknown>,
    postOptions?: GraphPostOptions,
  ): Promise<GraphEventPost> => {
    const page = pageOf(input.pageId)
    const timestamp = input.timestamp ?? Date.now()
    const mid = input.mid ?? messageId()
    const parties = { pageId: page.id, psid: input.psid }
    conversations.inbound(page.id, input.psid, timestamp)
    const posted = await post([[page.id, [build(parties, mid, timestamp)]]], postOptions)
    return { ...posted, mid, pageId: page.id, psid: input.psid, timestamp }
  }

  const watermarkOf = (pageId: string, psid: string, given: number | undefined): number => {
    if (given !== undefined) return given
    const last = conversations.get(pageId, psid)?.sent.at(-1)
    if (!last) throw new Error(`Graph simulator: nothing was sent to ${psid} on page ${pageId}`)
    return last.timestamp
  }

  const playAfterSend = (message: GraphSentMessage, steps: readonly GraphAfterSend[]) => {
    if (steps.length === 0) return
    const parties = { pageId: message.pageId, psid: message.recipientId }
    void tasks.track(
      (async () => {
        for (const step of steps) {
          await tasks.sleep(options.afterSendDelayMs ?? 10)
          if (tasks.closed) return
          const event =
            step === 'echo'
              ? echoEvent(parties, {
                  mid: message.mid,
                  timestamp: message.timestamp,
                  appId: APP_ID,
                  ...(message.text === undefined ? {} : { text: message.text }),
                })
              : step === 'delivery'
                ? deliveryEvent(parties, {
                    watermark: message.timestamp,
                    ...(options.deliveryMids ? { mids: [message.mid] } : {}),
                  })
                : readEvent(parties, { watermark: message.timestamp, timestamp: Date.now() })
          await post([[message.pageId, [event]]]).catch(() => undefined)
        }
      })(),
    )
  }

  const sendApi = createSendApi({
    pages,
    conversations,
    enforceWindow: () => options.enforceWindow ?? true,
    nextFailure: () => failures.shift() ?? down,
    hold: () => tasks.sleep(options.timeoutHoldMs ?? 60_000),
    now: Date.now,
    accepted(message) {
      recorder.push(message)
      playAfterSend(message, afterSend)
    },
    action: (record) => actionRecorder.push(record),
  })

  const app = new Hono()
  app.post('/:version/:node/messages', (c) => {
    attempts++
    const node = c.req.param('node')
    return sendApi(c.req.raw, node === 'me' ? undefined : node)
  })
  app.get('*', (c) => attachments.serve(new URL(c.req.url)) ?? notFound(c.req.method, c.req.path))
  app.notFound((c) => notFound(c.req.method, c.req.path))

  const server = await listenLoopback({
    fetch: (req) => app.fetch(req),
    port: options.port,
    refuse: (incoming) => {
      const path = new URL(incoming.url ?? '/', 'http://x').pathname
      if (incoming.method !== 'POST' || !SEND_PATH.test(path)) return false
      const next = failures[0] ?? down
      if (next?.kind !== 'reset') return false
      if (failures[0] === next) failures.shift()
      attempts++
      return true
    },
  })
  baseUrl = server.url

  return {
    url: server.url,
    apiBaseUrl: `${server.url}/${version}`,
    appSecret: secret,
    page: pages[0]!,
    pages,
    get messages() {
      return recorder.items
    },
    get actions() {
      return actionRecorder.items
    },
    get attempts() {
      return attempts
    },
    webhooks,
    attachmentRequests: attachments.requests,
    waitFor: (predicate, waitOptions) => recorder.waitFor(predicate, waitOptions),
    waitForActions: (predicate, waitOptions) => actionRecorder.waitFor(predicate, waitOptions),
    on: (event, listener) => recorder.on(event, listener),
    off: (event, listener) => recorder.off(event, listener),
    clear() {
      recorder.clear()
      actionRecorder.clear()
      webhooks.length = 0
      attempts = 0
    },
    failNext(n, failure = {}) {
      for (let i = 0; i < n; i++) failures.push(failure)
    },
    setMode(mode, failure = { status: 503, code: 2, transient: true }) {
      down = mode === 'down' ? failure : undefined
    },
    setAfterSend(steps) {
      afterSend = [...steps]
    },
    block(psid, pageId) {
      conversations.ensure(pageOf(pageId).id, psid).blocked = true
    },
    addCustomer(psid, customerOptions = {}) {
      conversations.inbound(
        pageOf(customerOptions.pageId).id,
        psid,
        customerOptions.lastMessageAt ?? Date.now(),
      )
    },
    newPsid: () => numericId(16),
    setWebhookUrl(url) {
      webhookUrl = url
    },
    async verify(input) {
      const target = new URL(input.url ?? webhookUrl ?? '')
      target.searchParams.set('hub.mode', input.mode ?? 'subscribe')
      target.searchParams.set('hub.verify_token', input.verifyToken)
      target.searchParams.set(
        'hub.challenge',
        input.challenge ?? String(Math.floor(Math.random() * 1e9)),
      )
      const res = await tasks.track(request(target, { method: 'GET', dispatcher: agent }))
      const contentType = res.headers['content-type']
      return {
        status: res.statusCode,
        body: await res.body.text(),
        contentType: Array.isArray(contentType) ? contentType[0] : contentType,
      }
    },
    sendText(input, postOptions) {
      return customerEvent(
        input,
        (parties, mid, timestamp) =>
          messageEvent(parties, {
            mid,
            timestamp,
            text: input.text,
            ...(input.quickReplyPayload === undefined
              ? {}
              : { quickReplyPayload: input.quickReplyPayload }),
            ...(input.replyTo === undefined ? {} : { replyTo: input.replyTo }),
          }),
        postOptions,
      )
    },
    sendAttachments(input, postOptions) {
      const items = input.attachments.map((a) => attachments.add(a))
      return customerEvent(
        input,
        (parties, mid, timestamp) =>
          messageEvent(parties, {
            mid,
            timestamp,
            attachments: items,
            ...(input.text === undefined ? {} : { text: input.text }),
          }),
        postOptions,
      )
    },
    sendPostback(input, postOptions) {
      return customerEvent(
        input,
        (parties, mid, timestamp) =>
          postbackEvent(parties, {
            mid,
            timestamp,
            title: input.title,
            payload: input.payload,
            ...(input.referral ? { referral: input.referral } : {}),
          }),
        postOptions,
      )
    },
    sendDelivery(input, postOptions) {
      const page = pageOf(input.pageId)
      const watermark = watermarkOf(page.id, input.psid, input.watermark)
      const event = deliveryEvent(
        { pageId: page.id, psid: input.psid },
        { watermark, ...(input.mids ? { mids: input.mids } : {}) },
      )
      return post([[page.id, [event]]], postOptions)
    },
    sendRead(input, postOptions) {
      const page = pageOf(input.pageId)
      const watermark = watermarkOf(page.id, input.psid, input.watermark)
      const event = readEvent(
        { pageId: page.id, psid: input.psid },
        { watermark, timestamp: Date.now() },
      )
      return post([[page.id, [event]]], postOptions)
    },
    async sendEcho(input, postOptions) {
      const page = pageOf(input.pageId)
      const timestamp = input.timestamp ?? Date.now()
      const mid = input.mid ?? messageId()
      const event = echoEvent(
        { pageId: page.id, psid: input.psid },
        { mid, timestamp, appId: APP_ID, text: input.text },
      )
      const posted = await post([[page.id, [event]]], postOptions)
      return { ...posted, mid, pageId: page.id, psid: input.psid, timestamp }
    },
    postEvents: (entries, postOptions) => post(entries, postOptions),
    postRaw: (body, postOptions) => postBody(body, [], postOptions),
    async close() {
      if (tasks.closed) return
      tasks.close()
      recorder.abort('closed')
      actionRecorder.abort('closed')
      await server.close()
      await poster.close()
      await agent.destroy()
      await tasks.drain()
    },
  }
}

function notFound(method: string, path: string): Response {
  return graphErrorResponse(400, {
    code: 100,
    type: 'GraphMethodException',
    message: `Unsupported ${method.toLowerCase()} request. The Graph API simulator has no ${path}`,
  })
}

function describeMessage(m: GraphSentMessage): string {
  const what =
    m.text !== undefined
      ? `"${m.text.slice(0, 60)}"`
      : m.attachment
        ? `[${m.attachment.type}${m.attachment.payload.template_type ? ` ${String(m.attachment.payload.template_type)}` : ''}]`
        : '(empty)'
  const qr = m.quickReplies ? ` +${m.quickReplies.length} quick replies` : ''
  return `${m.mid.slice(0, 12)}… page ${m.pageId} → ${m.recipientId} ${m.messagingType}${m.tag ? `/${m.tag}` : ''} ${what}${qr}`
}
