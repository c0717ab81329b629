/**
 * @module
 * Message content both ways: a customer's CIM body as CXone text and attachments, and an agent's
 * CXone message as CIM bodies the routed channel's connector can send.
 */
import {
  type Button,
  type CimBody,
  isBodyType,
  MEDIA_BODY_TYPES,
  type MediaBody,
  type MediaBodyType,
} from '@plugboard/sdk'
import type { DeAttachment } from './de/client.js'
import type { CxoneAttachment, MessageContent } from './middleware/payloads.js'

export interface CxoneContent {
  text: string
  attachments: DeAttachment[]
}

const MEDIA: ReadonlySet<string> = new Set(MEDIA_BODY_TYPES)

/**
 * A customer's CIM body as CXone content; undefined for bodies that are not customer content
 * (or a type this plugin does not know), which are not sent.
 */
export function toCxoneContent(body: CimBody): CxoneContent | undefined {
  const markdownText = nonEmpty(body.markdownText)
  if (isBodyType(body, 'PLAIN')) {
    return markdownText === undefined ? undefined : { text: markdownText, attachments: [] }
  }
  if (MEDIA.has(body.type)) {
    const media = body as MediaBody
    const name =
      nonEmpty(media.attachment.mediaName) ??
      nonEmpty(media.additionalDetails?.fileName) ??
      fileNameOf(media.attachment.mediaUrl)
    return {
      text: nonEmpty(media.caption) ?? markdownText ?? '',
      attachments: [{ friendlyName: name, url: media.attachment.mediaUrl }],
    }
  }
  if (isBodyType(body, 'STICKER') && nonEmpty(body.mediaUrl)) {
    return {
      text: markdownText ?? '',
      attachments: [{ friendlyName: fileNameOf(body.mediaUrl!), url: body.mediaUrl! }],
    }
  }
  if (isBodyType(body, 'LOCATION')) {
    const { latitude, longitude } = body.location
    const label =
      nonEmpty(body.additionalDetails?.name) ??
      nonEmpty(body.additionalDetails?.address) ??
      markdownText
    const map = `https://maps.google.com/?q=${latitude},${longitude}`
    return {
      text: [label, `Location: ${latitude},${longitude}`, map].filter(Boolean).join('\n'),
      attachments: [],
    }
  }
  if (isBodyType(body, 'URL')) {
    const text = [markdownText, nonEmpty(body.mediaUrl)].filter(Boolean).join('\n')
    return text === '' ? undefined : { text, attachments: [] }
  }
  if (isBodyType(body, 'CONTACT')) {
    const contacts = body.contacts
      .map((c) =>
        [c.name?.formattedName, ...(c.phones ?? []).map((p) => p.phone)].filter(Boolean).join(' '),
      )
      .filter(Boolean)
    const text = [markdownText, ...contacts].filter(Boolean).join('\n')
    return text === '' ? undefined : { text, attachments: [] }
  }
  if (isBodyType(body, 'BUTTON') && markdownText !== undefined) {
    // A customer's tap on a button arrives as its title.
    return { text: markdownText, attachments: [] }
  }
  return undefined
}

/**
 * An agent's CXone message as CIM bodies: each attachment is one media body (CIM carries one
 * attachment per message), the text riding as the first one's caption; quick replies and list
 * pickers become a BUTTON body; otherwise the text. Empty when there is nothing to send.
 */
export function fromCxoneContent(
  content: MessageContent | undefined,
  attachments: readonly CxoneAttachment[] = [],
): CimBody[] {
  const text = nonEmpty(content?.payload?.text) ?? nonEmpty(content?.fallbackText)
  if (attachments.length > 0) {
    return attachments.map((a, i) => {
      const mimeType = a.mimeType ?? mimeOf(a.friendlyName ?? a.url)
      const type = mediaType(mimeType)
      const caption = i === 0 ? (text ?? null) : null
      const name = a.friendlyName ?? fileNameOf(a.url)
      return {
        type,
        markdownText: caption,
        caption,
        attachment: { mediaUrl: a.url, mimeType, mediaName: name, thumbnail: null },
        additionalDetails: type === 'FILE' ? { fileName: name } : null,
      }
    })
  }
  const options = (content?.payload?.elements ?? [])
    .map((e) => ({ title: nonEmpty(e.title) ?? nonEmpty(e.text), payload: nonEmpty(e.postback) }))
    .filter((o): o is { title: string; payload: string | undefined } => o.title !== undefined)
  if (options.length > 0) {
    const buttons: Button[] = options.map((o) => ({
      type: 'String',
      title: o.title,
      payload: o.payload ?? o.title,
    }))
    return [
      { type: 'BUTTON', markdownText: text ?? '', buttonMessageType: 'QUICK_REPLIES', buttons },
    ]
  }
  return text === undefined ? [] : [{ type: 'PLAIN', markdownText: text }]
}

export function mediaType(mimeType: string): Exclude<MediaBodyType, 'MULTIMEDIA'> {
  const major = mimeType.split('/', 1)[0]?.toLowerCase()
  if (major === 'image') return 'IMAGE'
  if (major === 'video') return 'VIDEO'
  if (major === 'audio') return 'AUDIO'
  return 'FILE'
}

const MIME_BY_EXTENSION: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  mp4: 'video/mp4',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  pdf: 'application/pdf',
}

function mimeOf(name: string): string {
  const extension = /\.([a-z0-9]+)(?:$|[?#])/i.exec(name)?.[1]?.toLowerCase()
  return (extension && MIME_BY_EXTENSION[extension]) ?? 'application/octet-stream'
}

function fileNameOf(url: string): string {
  try {
    const last = new URL(url).pathname.split('/').filter(Boolean).at(-1)
    return last ? decodeURIComponent(last) : 'attachment'
  } catch {
    return 'attachment'
  }
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined
}
