/**
 * @module
 * Media of incoming messages: where Twilio keeps them, and copying them into CX's file engine so
 * agents can open them without Twilio credentials.
 */
import {
  classifyHttpStatus,
  type HttpClient,
  type HttpResponse,
  type Logger,
  PluginError,
  uploadToFileEngine,
} from '@plugboard/sdk'

/** One `MediaUrl{N}` / `MediaContentType{N}` pair of a webhook. */
export interface TwilioMedia {
  url: string
  contentType: string
  /** The `ME…` sid at the end of the URL, when it has one. */
  sid: string | undefined
}

/** A medium as the CIM attachment will refer to it. */
export interface ResolvedMedia {
  mediaUrl: string
  mimeType: string
  fileName: string
  /** Bytes, when the medium was downloaded. */
  size?: number
}

/** The media of a webhook, in order; `NumMedia` bounds them when present. */
export function mediaOf(fields: Record<string, string>, numMedia?: number): TwilioMedia[] {
  const media: TwilioMedia[] = []
  const limit = numMedia ?? 10
  for (let i = 0; i < limit; i++) {
    const url = fields[`MediaUrl${i}`]
    if (!url) break
    const contentType = fields[`MediaContentType${i}`] || 'application/octet-stream'
    const sid = /\/(ME[0-9a-zA-Z]+)\/?$/.exec(new URL(url, 'https://x').pathname)?.[1]
    media.push({ url, contentType, sid })
  }
  return media
}

export interface MediaDeps {
  request: HttpClient
  log: Logger
  accountSid: string
  authToken: string
  /** Origin of the API base URL: media there get the account's credentials. */
  apiOrigin: string
  timeoutMs: number
  fileEngineUrl?: string
  fileEnginePublicUrl?: string
  /** Called with the reason whenever the Twilio URL is passed on instead of a copy. */
  onFallback(reason: string): void
}

/**
 * Without a file engine the Twilio URL is passed on as it is. With one, the medium is downloaded
 * and uploaded there; if either step fails the Twilio URL is passed on and a warning logged, so a
 * customer message is never lost over an attachment.
 */
export async function resolveMedia(media: TwilioMedia, deps: MediaDeps): Promise<ResolvedMedia> {
  const fileName = fileNameFor(media)
  const passThrough: ResolvedMedia = { mediaUrl: media.url, mimeType: media.contentType, fileName }
  if (!deps.fileEngineUrl) return passThrough
  try {
    const file = await downloadMedia(media.url, deps)
    const mimeType = media.contentType || file.contentType
    const name = await uploadToFileEngine(deps.fileEngineUrl, { ...file, fileName, mimeType }, deps)
    const base = (deps.fileEnginePublicUrl ?? deps.fileEngineUrl).replace(/\/+$/, '')
    return {
      mediaUrl: `${base}/api/downloadFileStream?filename=${encodeURIComponent(name)}`,
      mimeType,
      fileName,
      size: file.data.byteLength,
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    deps.log.warn(
      { media: media.sid, reason },
      'could not copy a Twilio medium to the file engine; passing the Twilio URL on',
    )
    deps.onFallback(error instanceof PluginError ? error.code : 'ERROR')
    return passThrough
  }
}

const MAX_REDIRECTS = 5

/**
 * GETs a Twilio medium with the account's credentials. Twilio answers with a redirect to its
 * CDN, whose signed URLs refuse a second authentication: credentials go only to Twilio's hosts.
 */
export async function downloadMedia(
  url: string,
  deps: Pick<MediaDeps, 'request' | 'accountSid' | 'authToken' | 'apiOrigin' | 'timeoutMs'>,
): Promise<{ data: Uint8Array; contentType: string }> {
  let target = new URL(url)
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const headers: Record<string, string> = {}
    if (isTwilioHost(target, deps.apiOrigin)) {
      const basic = Buffer.from(`${deps.accountSid}:${deps.authToken}`).toString('base64')
      headers.authorization = `Basic ${basic}`
    }
    const res = await deps.request(target, { method: 'GET', headers, timeoutMs: deps.timeoutMs })
    const location = header(res, 'location')
    if (res.status >= 300 && res.status < 400 && location) {
      target = new URL(location, target)
      continue
    }
    const kind = classifyHttpStatus(res.status)
    if (kind !== 'ok') {
      throw new PluginError(
        kind,
        'MEDIA_DOWNLOAD_FAILED',
        `GET ${target.origin}${target.pathname} answered ${res.status}`,
        {
          status: res.status,
        },
      )
    }
    return {
      data: new Uint8Array(await res.arrayBuffer()),
      contentType: header(res, 'content-type') ?? 'application/octet-stream',
    }
  }
  throw PluginError.retryable(
    'MEDIA_DOWNLOAD_FAILED',
    `more than ${MAX_REDIRECTS} redirects for a medium`,
  )
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'video/mp4': '.mp4',
  'video/3gpp': '.3gp',
  'audio/ogg': '.ogg',
  'audio/mpeg': '.mp3',
  'audio/amr': '.amr',
  'audio/aac': '.aac',
  'audio/mp4': '.m4a',
  'application/pdf': '.pdf',
  'text/plain': '.txt',
  'text/vcard': '.vcf',
  'text/x-vcard': '.vcf',
  'application/msword': '.doc',
  'application/vnd.ms-excel': '.xls',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '.docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': '.xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': '.pptx',
}

/** Twilio gives media no names; the medium's sid and an extension from its type stand in. */
export function fileNameFor(media: TwilioMedia): string {
  const mime = media.contentType.split(';', 1)[0]!.trim().toLowerCase()
  return `${media.sid ?? 'media'}${EXTENSIONS[mime] ?? ''}`
}

function isTwilioHost(url: URL, apiOrigin: string): boolean {
  return (
    url.origin === apiOrigin ||
    url.hostname === 'twilio.com' ||
    url.hostname.endsWith('.twilio.com')
  )
}

function header(res: HttpResponse, name: string): string | undefined {
  const value = res.headers[name]
  return Array.isArray(value) ? value[0] : value
}
