/**
 * @module
 * JSON bodies shaped as Twilio's API answers: the Message resource and REST errors.
 */

export type TwilioStatus =
  | 'accepted'
  | 'scheduled'
  | 'queued'
  | 'sending'
  | 'sent'
  | 'delivered'
  | 'undelivered'
  | 'failed'
  | 'read'
  | 'canceled'

/** A message the simulator's Messages API accepted. */
export interface SimulatedMessage {
  sid: string
  accountSid: string
  to: string
  from: string | undefined
  messagingServiceSid: string | undefined
  body: string | undefined
  mediaUrls: string[]
  contentSid: string | undefined
  contentVariables: string | undefined
  persistentActions: string[]
  statusCallback: string | undefined
  /** The last status reported, starting with the one in the 201 answer. */
  status: TwilioStatus
  /** Every form parameter as posted. */
  form: Record<string, string | string[]>
  dateCreated: Date
}

/** The Message resource as Twilio returns it (snake_case, strings for counts, RFC 2822 dates). */
export function messageResource(m: SimulatedMessage): Record<string, unknown> {
  const base = `/2010-04-01/Accounts/${m.accountSid}/Messages/${m.sid}`
  const date = m.dateCreated.toUTCString().replace('GMT', '+0000')
  return {
    account_sid: m.accountSid,
    api_version: '2010-04-01',
    body: m.body ?? '',
    date_created: date,
    date_sent: null,
    date_updated: date,
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: m.from ?? null,
    messaging_service_sid: m.messagingServiceSid ?? null,
    num_media: String(m.mediaUrls.length),
    num_segments: m.from === undefined ? '0' : String(segments(m.body ?? '')),
    price: null,
    price_unit: null,
    sid: m.sid,
    status: m.status,
    subresource_uris: { media: `${base}/Media.json` },
    to: m.to,
    uri: `${base}.json`,
  }
}

/** Twilio's REST error body (what twilio-node's RestException parses). */
export function errorBody(status: number, code: number, message: string): Record<string, unknown> {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }
}

// GSM-7 fits 160 characters (153 per part), anything else UCS-2 70 (67 per part).
function segments(text: string): number {
  if (text === '') return 1
  const gsm = /^[\n\r -~£¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà€]*$/.test(text)
  const [single, part] = gsm ? [160, 153] : [70, 67]
  const length = [...text].length
  return length <= single ? 1 : Math.ceil(length / part)
}
