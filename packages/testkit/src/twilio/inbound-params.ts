/**
 * @module
 * The form parameters of Twilio's "A message comes in" webhook and of status callbacks, shaped
 * like captured requests (specs/providers.md §1.1–1.2).
 */
import { randomBytes } from 'node:crypto'
import type { TwilioStatus } from './resources.js'

export interface InboundSmsInput {
  /** The customer, e.g. `+15550199`. */
  from: string
  /** The channel number, e.g. `+15550100`. */
  to: string
  body?: string
  /** Defaults to the simulator's first account. */
  accountSid?: string
  /** Defaults to a fresh `SM…` (`MM…` with media). */
  messageSid?: string
  messagingServiceSid?: string
  /** Where Twilio posts it; defaults to the simulator's webhook URL. */
  url?: string
}

export interface InboundWhatsAppInput extends InboundSmsInput {
  profileName?: string
  location?: { latitude: number; longitude: number; address?: string; label?: string }
  /** A quick-reply button the customer tapped. */
  button?: { text: string; payload: string }
  /** Defaults from the content: text, image, video, audio, document, location, button. */
  messageType?: string
}

/** An SMS or MMS webhook, keys in the order of a captured request. */
export function smsParams(
  input: InboundSmsInput & { accountSid: string; messageSid: string },
  media: ReadonlyArray<{ url: string; contentType: string }>,
): Record<string, string> {
  const params: Record<string, string> = {
    ToCountry: 'US',
    ToState: '',
    SmsMessageSid: input.messageSid,
    NumMedia: String(media.length),
    ToCity: '',
    FromZip: '',
    SmsSid: input.messageSid,
    FromState: '',
    SmsStatus: 'received',
    FromCity: '',
    Body: input.body ?? '',
    FromCountry: 'US',
    To: input.to,
  }
  if (input.messagingServiceSid) params.MessagingServiceSid = input.messagingServiceSid
  Object.assign(params, {
    ToZip: '',
    NumSegments: '1',
    MessageSid: input.messageSid,
    AccountSid: input.accountSid,
    From: input.from,
    ApiVersion: '2010-04-01',
  })
  addMedia(params, media)
  return params
}

/** A WhatsApp webhook: prefixed addresses, profile name, message type and its extras. */
export function whatsAppParams(
  input: InboundWhatsAppInput & { accountSid: string; messageSid: string },
  media: ReadonlyArray<{ url: string; contentType: string }>,
): Record<string, string> {
  const from = withWhatsApp(input.from)
  const params: Record<string, string> = {
    SmsMessageSid: input.messageSid,
    NumMedia: String(media.length),
    ProfileName: input.profileName ?? 'WhatsApp User',
    MessageType: input.messageType ?? messageTypeOf(input, media),
    SmsSid: input.messageSid,
    WaId: from.replace(/^whatsapp:\+?/, ''),
    SmsStatus: 'received',
    Body: input.body ?? input.button?.text ?? '',
    To: withWhatsApp(input.to),
    NumSegments: '1',
    ReferralNumMedia: '0',
    MessageSid: input.messageSid,
    AccountSid: input.accountSid,
    From: from,
    ApiVersion: '2010-04-01',
  }
  if (input.messagingServiceSid) params.MessagingServiceSid = input.messagingServiceSid
  if (input.location) {
    params.Latitude = String(input.location.latitude)
    params.Longitude = String(input.location.longitude)
    if (input.location.address) params.Address = input.location.address
    if (input.location.label) params.Label = input.location.label
  }
  if (input.button) {
    params.ButtonText = input.button.text
    params.ButtonPayload = input.button.payload
  }
  addMedia(params, media)
  return params
}

export interface StatusCallbackInput {
  accountSid: string
  messageSid: string
  from: string | undefined
  to: string
  messagingServiceSid: string | undefined
  status: TwilioStatus
  errorCode?: number | string
  errorMessage?: string
}

/** A status callback: a subset of the message's fields plus MessageStatus (and ErrorCode). */
export function statusParams(input: StatusCallbackInput): Record<string, string> {
  const whatsapp = input.to.startsWith('whatsapp:')
  const failed = input.status === 'failed' || input.status === 'undelivered'
  const params: Record<string, string> = {}
  if (whatsapp && input.status === 'read') params.EventType = 'READ'
  if (failed && input.errorCode !== undefined) params.ErrorCode = String(input.errorCode)
  Object.assign(params, {
    SmsSid: input.messageSid,
    SmsStatus: input.status,
    MessageStatus: input.status,
    To: input.to,
    MessageSid: input.messageSid,
    AccountSid: input.accountSid,
  })
  if (input.from !== undefined) params.From = input.from
  if (input.messagingServiceSid) params.MessagingServiceSid = input.messagingServiceSid
  params.ApiVersion = '2010-04-01'
  if (whatsapp) {
    params.ChannelPrefix = 'whatsapp'
    params.ChannelToAddress = input.to.slice('whatsapp:'.length)
    params.ChannelInstallSid = 'XE00000000000000000000000000000000'
    if (failed) params.ChannelStatusMessage = input.errorMessage ?? 'Message failed to send'
  } else if (input.status === 'delivered' || input.status === 'undelivered') {
    params.RawDlrDoneDate = rawDlrDate(new Date())
  }
  return params
}

export function withWhatsApp(address: string): string {
  return address.startsWith('whatsapp:') ? address : `whatsapp:${address}`
}

/** A fresh message sid: `MM…` when the message has media, else `SM…`. */
export function inboundSid(hasMedia: boolean): string {
  return (hasMedia ? 'MM' : 'SM') + randomBytes(16).toString('hex')
}

function addMedia(
  params: Record<string, string>,
  media: ReadonlyArray<{ url: string; contentType: string }>,
): void {
  media.forEach((m, i) => {
    params[`MediaContentType${i}`] = m.contentType
    params[`MediaUrl${i}`] = m.url
  })
}

function messageTypeOf(
  input: InboundWhatsAppInput,
  media: ReadonlyArray<{ contentType: string }>,
): string {
  if (input.location) return 'location'
  if (input.button) return 'button'
  const major = media[0]?.contentType.split('/')[0]
  if (major === 'image' || major === 'video' || major === 'audio') return major
  if (media.length > 0) return 'document'
  return 'text'
}

// YYMMDDhhmm, the carrier's "done" time in a delivery receipt.
function rawDlrDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${pad(date.getUTCFullYear() % 100)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}`
}
