/**
 * @module
 * Twilio's Programmable Messaging over real HTTP on loopback: the Messages API (basic auth,
 * Twilio's checks and error codes, 201 bodies in Twilio's shape), signed status callbacks,
 * signed incoming SMS and WhatsApp webhooks with media behind basic auth, and failures on
 * demand. Point a connector's API base URL at `url`.
 */
import { Hono } from 'hono'
import { createPoster, type HttpAnswer, listenLoopback } from '../simulator-http.js'
import { createRecorder } from '../simulator-recorder.js'
import { createTasks } from '../simulator-tasks.js'
import {
  type CallbackDeps,
  playSequence,
  postStatus,
  type SentCallback,
  type StatusStep,
} from './callbacks.js'
import { authToken as newAuthToken, twilioSid } from './ids.js'
import { type InboundSmsInput, inboundSid, smsParams, whatsAppParams } from './inbound-params.js'
import { createMediaStore, type MediaInput } from './media.js'
import { authorized, createMessagesApi } from './messages-api.js'
import { errorBody, type SimulatedMessage } from './resources.js'
import { signTwilioJsonRequest, signTwilioRequest } from './signing.js'
import type {
  PostOptions,
  SentWebhook,
  TwilioAccount,
  TwilioFailure,
  TwilioSimulator,
  TwilioSimulatorOptions,
} from './types.js'

export type { HttpAnswer } from '../simulator-http.js'
export type { WaitForOptions } from '../simulator-recorder.js'
export type { SentCallback, StatusStep } from './callbacks.js'
export type { InboundSmsInput, InboundWhatsAppInput } from './inbound-params.js'
export type { MediaInput, MediaRequest } from './media.js'
export type { SimulatedMessage, TwilioStatus } from './resources.js'
export type {
  PostOptions,
  SentWebhook,
  TwilioAccount,
  TwilioFailure,
  TwilioSimulator,
  TwilioSimulatorOptions,
} from './types.js'

const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/

export async function startTwilioSimulator(
  options: TwilioSimulatorOptions = {},
): Promise<TwilioSimulator> {
  const accounts: TwilioAccount[] =
    options.accounts && options.accounts.length > 0
      ? options.accounts.map((a) => ({ ...a }))
      : [{ sid: twilioSid('AC'), authToken: newAuthToken() }]
  const recorder = createRecorder<SimulatedMessage>('Twilio simulator messages', describeMessage)
  const callbackRecorder = createRecorder<SentCallback>('Twilio status callbacks', describeCallback)
  const webhooks: SentWebhook[] = []
  const failures: TwilioFailure[] = []
  const nextSequences: StatusStep[][] = []
  const optedOut = new Set<string>()
  const routes = new Map(Object.entries(options.routes ?? {}))
  const tasks = createTasks()
  const poster = createPoster()
  let sequence: StatusStep[] = options.statusSequence ?? ['sent', 'delivered']
  let down: TwilioFailure | undefined
  let webhookUrl = options.webhookUrl
  let attempts = 0
  let baseUrl = ''

  const accountOf = (sid: string | undefined): TwilioAccount => {
    const account = sid === undefined ? accounts[0]! : accounts.find((a) => a.sid === sid)
    if (!account) throw new Error(`Twilio simulator: no account ${sid}`)
    return account
  }

  const deliveryUrl = (url: string): string => {
    for (const [publicBase, actualBase] of routes) {
      if (url.startsWith(publicBase))
        return actualBase.replace(/\/+$/, '') + url.slice(publicBase.length)
    }
    return url
  }

  const signedPost = (
    url: string,
    account: TwilioAccount,
    params: Record<string, string>,
    postOptions: PostOptions = {},
  ): Promise<HttpAnswer> => {
    const signedUrl = postOptions.signedUrl ?? url
    let body: string
    let contentType: string
    let signature: string
    let target = url
    if (postOptions.json) {
      body = JSON.stringify(params)
      const signed = signTwilioJsonRequest(account.authToken, signedUrl, body)
      signature = signed.signature
      target = signed.url.replace(signedUrl, url)
      contentType = 'application/json'
    } else {
      body = new URLSearchParams(params).toString()
      signature = signTwilioRequest(account.authToken, signedUrl, params)
      contentType = 'application/x-www-form-urlencoded'
    }
    const headers: Record<string, string> = {
      'content-type': contentType,
      'user-agent': 'TwilioProxy/1.1',
      'i-twilio-idempotency-token': crypto.randomUUID(),
    }
    const header = postOptions.signature === undefined ? signature : postOptions.signature
    if (header !== null) headers['x-twilio-signature'] = header
    return tasks.track(poster.post(deliveryUrl(target), body, headers))
  }

  const callbackDeps: CallbackDeps = {
    tasks,
    delayMs: () => options.callbackDelayMs ?? 10,
    post: (url, accountSid, params) => signedPost(url, accountOf(accountSid), params),
    record: (callback) => callbackRecorder.push(callback),
  }

  const media = await createMediaStore({
    apiUrl: () => baseUrl,
    requireAuth: options.mediaAuth ?? true,
    redirect: options.mediaRedirect ?? true,
  })

  const createMessage = createMessagesApi({
    accounts,
    optedOut,
    nextFailure: () => failures.shift() ?? down,
    hold: () => tasks.sleep(options.timeoutHoldMs ?? 60_000),
    accepted(message) {
      recorder.push(message)
      playSequence(message, nextSequences.shift() ?? sequence, callbackDeps)
    },
  })

  const app = new Hono()
  app.post('/2010-04-01/Accounts/:sid/Messages.json', (c) => {
    attempts++
    return createMessage(c.req.raw, c.req.param('sid'))
  })
  app.get('/2010-04-01/Accounts/:sid/Messages/:message/Media/:media', (c) => {
    const account = accounts.find((a) => a.sid === c.req.param('sid'))
    const ok = account !== undefined && authorized(c.req.raw, account)
    return media.serve(c.req.raw, c.req.param('sid'), c.req.param('media'), ok)
  })
  app.notFound((c) =>
    Response.json(errorBody(404, 20404, `Twilio simulator has no ${c.req.method} ${c.req.path}`), {
      status: 404,
    }),
  )

  const server = await listenLoopback({
    fetch: (req) => app.fetch(req),
    port: options.port,
    refuse: (incoming) => {
      const path = new URL(incoming.url ?? '/', 'http://x').pathname
      if (incoming.method !== 'POST' || !MESSAGES_PATH.test(path)) return false
      const next = failures[0] ?? down
      if (next?.kind !== 'reset') return false
      if (failures[0] === next) failures.shift()
      attempts++
      return true
    },
  })
  baseUrl = server.url

  const postInbound = async (
    params: Record<string, string>,
    input: InboundSmsInput,
    postOptions: PostOptions = {},
  ): Promise<SentWebhook> => {
    const url = input.url ?? webhookUrl
    if (!url) throw new Error('Twilio simulator: no webhook URL; call setWebhookUrl(url)')
    const sent: SentWebhook = { messageSid: params.MessageSid!, url, params }
    webhooks.push(sent)
    try {
      sent.answer = await signedPost(url, accountOf(params.AccountSid), params, postOptions)
    } catch (error) {
      sent.error = error instanceof Error ? error.message : String(error)
    }
    return sent
  }

  const withMedia = (
    input: InboundSmsInput & { media?: MediaInput[] },
  ): {
    accountSid: string
    messageSid: string
    media: Array<{ url: string; contentType: string }>
  } => {
    const accountSid = accountOf(input.accountSid).sid
    const items = input.media ?? []
    const messageSid = input.messageSid ?? inboundSid(items.length > 0)
    return {
      accountSid,
      messageSid,
      media: items.map((m) => ({
        url: media.add(accountSid, messageSid, m),
        contentType: m.contentType,
      })),
    }
  }

  return {
    url: server.url,
    account: accounts[0]!,
    accounts,
    get messages() {
      return recorder.items
    },
    get attempts() {
      return attempts
    },
    get callbacks() {
      return callbackRecorder.items
    },
    webhooks,
    mediaRequests: media.requests,
    waitFor: (predicate, waitOptions) => recorder.waitFor(predicate, waitOptions),
    waitForCallbacks: (predicate, waitOptions) => callbackRecorder.waitFor(predicate, waitOptions),
    on: (event, listener) => recorder.on(event, listener),
    off: (event, listener) => recorder.off(event, listener),
    clear() {
      recorder.clear()
      callbackRecorder.clear()
      webhooks.length = 0
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
    optOut(number) {
      optedOut.add(number.replace(/^whatsapp:/, ''))
    },
    setWebhookUrl(url) {
      webhookUrl = url
    },
    route(publicBase, actualBase) {
      routes.set(publicBase, actualBase)
    },
    sendSms(input, postOptions) {
      const { accountSid, messageSid, media: items } = withMedia(input)
      return postInbound(smsParams({ ...input, accountSid, messageSid }, items), input, postOptions)
    },
    sendWhatsApp(input, postOptions) {
      const { accountSid, messageSid, media: items } = withMedia(input)
      const params = whatsAppParams({ ...input, accountSid, messageSid }, items)
      return postInbound(params, input, postOptions)
    },
    postWebhook(url, params, postOptions = {}) {
      return signedPost(
        url,
        accountOf(postOptions.accountSid ?? params.AccountSid),
        params,
        postOptions,
      )
    },
    sendStatus(messageSid, step, url) {
      const message = recorder.items.find((m) => m.sid === messageSid)
      if (!message) throw new Error(`Twilio simulator: no message ${messageSid}`)
      return tasks.track(postStatus(message, step, callbackDeps, url))
    },
    async close() {
      if (tasks.closed) return
      tasks.close()
      recorder.abort('closed')
      callbackRecorder.abort('closed')
      await server.close()
      await media.close()
      await poster.close()
      await tasks.drain()
    },
  }
}

function describeMessage(m: SimulatedMessage): string {
  const text = m.body === undefined ? '' : ` "${m.body.slice(0, 60)}"`
  const extra = m.mediaUrls.length > 0 ? ` +${m.mediaUrls.length} media` : ''
  return `${m.sid} ${m.from ?? m.messagingServiceSid} → ${m.to}${text}${extra}`
}

function describeCallback(c: SentCallback): string {
  const outcome = c.answer ? `answered ${c.answer.status}` : `failed: ${c.error}`
  return `${c.messageSid} ${c.status} → ${c.url} (${outcome})`
}
