import {
  type CimBody,
  type CimMessage,
  isBodyType,
  MEDIA_BODY_TYPES,
  type MediaBody,
  type PluginContext,
} from '@plugboard/sdk'

export type SmsText = { text: string } | { ignored: string }

const MEDIA_TYPES: ReadonlySet<string> = new Set(MEDIA_BODY_TYPES)

/**
 * The SMS text of an outbound CIM message, or why it is not sent. SMS carries text only: a media
 * message becomes its caption and a link, a button message its text and the numbered choices.
 * Notifications (typing, session events) and rich types are ignored, not failed.
 */
export function toSmsText(message: CimMessage, env: PluginContext<unknown>['env']): SmsText {
  const body = message.body
  const markdownText = nonEmpty(body.markdownText)
  if (isBodyType(body, 'PLAIN')) {
    return markdownText === undefined
      ? { ignored: 'PLAIN body without text' }
      : { text: markdownText }
  }
  if (isMediaBody(body)) {
    const url = publicMediaUrl(body.attachment.mediaUrl, env)
    return joined([nonEmpty(body.caption) ?? markdownText, url], `${body.type} without a URL`)
  }
  if (isBodyType(body, 'URL')) {
    return joined([markdownText, nonEmpty(body.mediaUrl)], 'URL body without a URL')
  }
  if (isBodyType(body, 'BUTTON')) {
    const titles = body.buttons
      .map((b) => nonEmpty(b.title))
      .filter((t): t is string => t !== undefined)
      .map((title, i) => `${i + 1}. ${title}`)
    return joined([markdownText, ...titles], 'BUTTON body without text or titles')
  }
  if (isBodyType(body, 'NOTIFICATION')) {
    return { ignored: `NOTIFICATION ${body.notificationType} is not carried by SMS` }
  }
  return { ignored: `body type ${body.type} is not carried by SMS` }
}

// Attachments CCM hands out may point at the in-cluster file engine; customers need its public URL.
function publicMediaUrl(url: string, env: PluginContext<unknown>['env']): string | undefined {
  const value = nonEmpty(url)
  if (!value) return undefined
  const { fileEngineUrl, fileEnginePublicUrl } = env
  if (fileEngineUrl && fileEnginePublicUrl && value.startsWith(fileEngineUrl)) {
    return (
      fileEnginePublicUrl.replace(/\/+$/, '') +
      value.slice(fileEngineUrl.replace(/\/+$/, '').length)
    )
  }
  return value
}

function joined(lines: (string | undefined)[], ifEmpty: string): SmsText {
  const present = lines.filter((l): l is string => l !== undefined)
  return present.length === 0 ? { ignored: ifEmpty } : { text: present.join('\n') }
}

function isMediaBody(body: CimBody): body is MediaBody {
  return MEDIA_TYPES.has(body.type)
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined
}
