/**
 * @module
 * Attachments of incoming messages: Meta serves them from its CDN under signed, expiring URLs,
 * so they are copied into CX's file engine, where agents can open them later.
 */
import {
  classifyHttpStatus,
  type HttpClient,
  type HttpResponse,
  type Logger,
  PluginError,
  uploadToFileEngine,
} from '@plugboard/sdk'

/** One media attachment of a message, before it is resolved. */
export interface IncomingMedia {
  /** image, video, audio or file. */
  type: string
  url: string
  /** Names the copy when the URL gives no file name: the message id and position. */
  fallbackName: string
}

/** A medium as the CIM attachment will refer to it. */
export interface ResolvedMedia {
  mediaUrl: string
  mimeType: string | null
  fileName: string
  /** Bytes, when the medium was downloaded. */
  size?: number
}

export interface MediaDeps {
  request: HttpClient
  log: Logger
  timeoutMs: number
  fileEngineUrl?: string
  fileEnginePublicUrl?: string
  /** Called with the reason whenever Meta's URL is passed on instead of a copy. */
  onFallback(reason: string): void
}

/**
 * Without a file engine Meta's URL is passed on. With one, the medium is downloaded and uploaded
 * there; when either step fails Meta's URL is passed on and a warning logged, so a customer
 * message is never lost over an attachment.
 */
export async function resolveMedia(media: IncomingMedia, deps: MediaDeps): Promise<ResolvedMedia> {
  const fileName = fileNameFor(media.url, media.fallbackName, undefined)
  const passThrough: ResolvedMedia = {
    mediaUrl: media.url,
    mimeType: mimeFromName(fileName, media.type),
    fileName,
  }
  if (!deps.fileEngineUrl) return passThrough
  try {
    const file = await downloadMedia(media.url, deps)
    const mimeType = file.contentType.split(';', 1)[0]!.trim() || 'application/octet-stream'
    // The CDN URL after the redirects keeps the name the customer's file had.
    const name = fileNameFor(file.url, media.fallbackName, mimeType)
    const stored = await uploadToFileEngine(
      deps.fileEngineUrl,
      { data: file.data, fileName: name, mimeType },
      deps,
    )
    const base = (deps.fileEnginePublicUrl ?? deps.fileEngineUrl).replace(/\/+$/, '')
    return {
      mediaUrl: `${base}/api/downloadFileStream?filename=${encodeURIComponent(stored)}`,
      mimeType,
      fileName: name,
      size: file.data.byteLength,
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    deps.log.warn(
      { type: media.type, reason },
      'could not copy a Messenger attachment to the file engine; passing Meta’s URL on',
    )
    deps.onFallback(error instanceof PluginError ? error.code : 'ERROR')
    return passThrough
  }
}

const MAX_REDIRECTS = 5

/** GETs a medium, following redirects (Meta's lookaside URLs redirect to its CDN). */
export async function downloadMedia(
  url: string,
  deps: Pick<MediaDeps, 'request' | 'timeoutMs'>,
): Promise<{ data: Uint8Array; contentType: string; url: string }> {
  let target = new URL(url)
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const res = await deps.request(target, { method: 'GET', timeoutMs: deps.timeoutMs })
    const location = header(res, 'location')
    if (res.status >= 300 && res.status < 400 && location) {
      target = new URL(location, target)
      continue
    }
    const kind = classifyHttpStatus(res.status)
    if (kind !== 'ok') {
      // The origin only: the query of a CDN URL is a signature.
      throw new PluginError(
        kind,
        'MEDIA_DOWNLOAD_FAILED',
        `GET ${target.origin} answered ${res.status}`,
        { status: res.status },
      )
    }
    return {
      data: new Uint8Array(await res.arrayBuffer()),
      contentType: header(res, 'content-type') ?? 'application/octet-stream',
      url: target.toString(),
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
  'video/quicktime': '.mov',
  'audio/mpeg': '.mp3',
  'audio/mp4': '.m4a',
  'audio/aac': '.aac',
  'audio/ogg': '.ogg',
  'audio/wav': '.wav',
  'application/pdf': '.pdf',
  'text/plain': '.txt',
  'application/zip': '.zip',
  'application/msword': '.doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '.docx',
  'application/vnd.ms-excel': '.xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': '.xlsx',
}

const MIME_BY_EXTENSION = new Map(
  Object.entries(EXTENSIONS).map(([mime, extension]) => [extension, mime]),
)
MIME_BY_EXTENSION.set('.jpeg', 'image/jpeg')

/**
 * The file name of a medium: the last path segment of Meta's URL when it has an extension (CDN
 * URLs of files keep the name the customer sent), else `fallback` plus an extension for its type.
 */
export function fileNameFor(url: string, fallback: string, mimeType: string | undefined): string {
  let segment = ''
  try {
    segment = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '')
  } catch {
    segment = ''
  }
  const safe = (name: string) => name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(-120)
  if (/\.[A-Za-z0-9]{1,8}$/.test(segment)) return safe(segment)
  const extension = mimeType ? (EXTENSIONS[mimeType.toLowerCase()] ?? '') : ''
  return safe(`${fallback}${extension}`)
}

/**
 * The MIME type a file name suggests, or null. Messenger's voice clips are `.mp4` files, so an
 * mp4 of an `audio` attachment is `audio/mp4`.
 */
export function mimeFromName(fileName: string, attachmentType?: string): string | null {
  const extension = /\.[A-Za-z0-9]+$/.exec(fileName)?.[0]?.toLowerCase()
  if (extension === '.mp4' && attachmentType === 'audio') return 'audio/mp4'
  return (extension && MIME_BY_EXTENSION.get(extension)) || null
}

function header(res: HttpResponse, name: string): string | undefined {
  const value = res.headers[name]
  return Array.isArray(value) ? value[0] : value
}
