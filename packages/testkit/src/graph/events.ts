/**
 * @module
 * Webhook payloads as Meta posts them for Page subscriptions (specs/providers.md §3):
 * `{object: "page", entry: [{id, time, messaging: [event]}]}`.
 */

/** A customer of a page. */
export interface Parties {
  pageId: string
  psid: string
}

type Json = Record<string, unknown>

export function envelope(
  entries: ReadonlyArray<{ pageId: string; time: number; messaging: Json[] }>,
): Json {
  return {
    object: 'page',
    entry: entries.map((e) => ({ id: e.pageId, time: e.time, messaging: e.messaging })),
  }
}

const fromCustomer = (p: Parties) => ({ sender: { id: p.psid }, recipient: { id: p.pageId } })

export function messageEvent(
  p: Parties,
  m: {
    mid: string
    timestamp: number
    text?: string
    quickReplyPayload?: string
    attachments?: Json[]
    replyTo?: string
  },
): Json {
  const message: Json = { mid: m.mid }
  if (m.text !== undefined) message.text = m.text
  if (m.quickReplyPayload !== undefined) message.quick_reply = { payload: m.quickReplyPayload }
  if (m.replyTo !== undefined) message.reply_to = { mid: m.replyTo }
  if (m.attachments !== undefined) message.attachments = m.attachments
  return { ...fromCustomer(p), timestamp: m.timestamp, message }
}

export function postbackEvent(
  p: Parties,
  b: { mid: string; timestamp: number; title: string; payload: string; referral?: Json },
): Json {
  const postback: Json = { mid: b.mid, title: b.title, payload: b.payload }
  if (b.referral) postback.referral = b.referral
  return { ...fromCustomer(p), timestamp: b.timestamp, postback }
}

export function deliveryEvent(p: Parties, d: { watermark: number; mids?: string[] }): Json {
  const delivery: Json = { watermark: d.watermark }
  if (d.mids) delivery.mids = d.mids
  return { ...fromCustomer(p), delivery }
}

export function readEvent(p: Parties, r: { watermark: number; timestamp: number }): Json {
  return { ...fromCustomer(p), timestamp: r.timestamp, read: { watermark: r.watermark } }
}

/** A message the page sent, echoed back: the page is the sender. */
export function echoEvent(
  p: Parties,
  e: { mid: string; timestamp: number; appId: string; text?: string; attachments?: Json[] },
): Json {
  const message: Json = { is_echo: true, app_id: Number(e.appId), mid: e.mid }
  if (e.text !== undefined) message.text = e.text
  if (e.attachments !== undefined) message.attachments = e.attachments
  return {
    sender: { id: p.pageId },
    recipient: { id: p.psid },
    timestamp: e.timestamp,
    message,
  }
}
