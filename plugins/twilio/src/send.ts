import {
  type ConnectorInstance,
  createPacer,
  type HealthState,
  type PluginContext,
  PluginError,
  type SendResult,
} from '@plugboard/sdk'
import {
  isMessagingServiceSid,
  isWhatsApp,
  looksLikePhoneNumber,
  recipientAddress,
} from './address.js'
import type { TwilioConfig } from './config.js'
import { twilioError } from './errors.js'
import { planOutbound, type TwilioContent } from './outbound.js'
import { MessageResourceSchema } from './payloads.js'

export interface SendDeps {
  /** Where Twilio posts status callbacks: the connector's public `/status` URL. */
  statusCallbackUrl: string
  /** Told when Twilio refuses the credentials and when it accepts a message again. */
  onAuth(state: { ok: true } | { ok: false; detail: string }): void
}

/** The form Twilio's Send API gets for one message. */
export function sendForm(
  content: TwilioContent,
  addresses: { to: string; from: string; messagingServiceSid?: string; statusCallback: string },
): URLSearchParams {
  const form = new URLSearchParams()
  form.set('To', addresses.to)
  if (isMessagingServiceSid(addresses.from)) {
    form.set('MessagingServiceSid', addresses.from)
  } else {
    form.set('From', addresses.from)
    // With both, Twilio sends from `From` and applies the service's settings.
    if (addresses.messagingServiceSid)
      form.set('MessagingServiceSid', addresses.messagingServiceSid)
  }
  if (content.body !== undefined) form.set('Body', content.body)
  for (const url of content.mediaUrls ?? []) form.append('MediaUrl', url)
  if (content.contentSid) form.set('ContentSid', content.contentSid)
  if (content.contentVariables) form.set('ContentVariables', content.contentVariables)
  for (const action of content.persistentActions ?? []) form.append('PersistentAction', action)
  form.set('StatusCallback', addresses.statusCallback)
  return form
}

/** Sends through `POST {apiBaseUrl}/2010-04-01/Accounts/{sid}/Messages.json`. */
export function createSend(
  ctx: PluginContext<TwilioConfig>,
  deps: SendDeps,
): ConnectorInstance['send'] {
  const { accountSid, authToken, apiBaseUrl, messagingServiceSid, timeoutMs } = ctx.config
  const url = `${apiBaseUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${accountSid}/Messages.json`
  const authorization = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`
  const pace = createPacer(ctx.config.sendRatePerSecond, ctx.signal)
  const publicMediaUrl = mediaUrlRewriter(ctx.env)

  return async (message): Promise<SendResult> => {
    const { serviceIdentifier: from, channelCustomerIdentifier: customerId } =
      message.header.channelData
    const plan = planOutbound(message, { whatsapp: isWhatsApp(from), publicMediaUrl })
    if ('ignored' in plan) {
      ctx.log.debug({ messageId: message.id, type: message.body.type }, plan.ignored)
      return { ignored: plan.ignored }
    }
    if (plan.degraded) {
      ctx.log.warn({ messageId: message.id, type: message.body.type }, plan.degraded)
    }
    if (!looksLikePhoneNumber(customerId)) {
      throw PluginError.terminal(
        'INVALID_RECIPIENT',
        `channelCustomerIdentifier "${customerId}" of message ${message.id} is not a phone number; Twilio needs E.164, e.g. +15551234567`,
        { providerCode: '21211' },
      )
    }
    const form = sendForm(plan.content, {
      to: recipientAddress(customerId, from),
      from,
      ...(messagingServiceSid ? { messagingServiceSid } : {}),
      statusCallback: deps.statusCallbackUrl,
    })
    await pace()
    const res = await ctx.request(url, {
      method: 'POST',
      headers: {
        authorization,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: form.toString(),
      timeoutMs,
    })
    if (res.status < 200 || res.status >= 300) {
      const error = await twilioError(res, 'Twilio Messages API')
      if (error.kind === 'auth') deps.onAuth({ ok: false, detail: error.message })
      throw error
    }
    deps.onAuth({ ok: true })
    let resource: unknown
    try {
      resource = JSON.parse(await res.text())
    } catch {
      resource = undefined
    }
    const parsed = MessageResourceSchema.safeParse(resource)
    if (!parsed.success) {
      // Twilio took the message; retrying would send it twice, so succeed without an id.
      ctx.log.warn(
        { messageId: message.id, status: res.status },
        'Twilio accepted the message but its answer has no sid; receipts cannot be matched',
      )
      return { status: 'queued' }
    }
    return {
      providerMessageId: parsed.data.sid,
      status: parsed.data.status === 'sent' ? 'sent' : 'queued',
    }
  }
}

/** Health as seen from the last answers of Twilio: degraded while it refuses the credentials. */
export function createAuthHealth() {
  let refused: string | undefined
  return {
    onAuth(state: { ok: true } | { ok: false; detail: string }) {
      refused = state.ok ? undefined : state.detail
    },
    health(): { state: HealthState; detail?: string } {
      return refused ? { state: 'degraded', detail: refused } : { state: 'up' }
    },
  }
}

// Agents attach files from the file engine's internal URL; Twilio must fetch them from outside.
function mediaUrlRewriter(env: PluginContext<TwilioConfig>['env']): (url: string) => string {
  const internal = env.fileEngineUrl?.replace(/\/+$/, '')
  const external = env.fileEnginePublicUrl?.replace(/\/+$/, '')
  if (!internal || !external || internal === external) return (url) => url
  return (url) =>
    url.startsWith(`${internal}/`) ? `${external}${url.slice(internal.length)}` : url
}
