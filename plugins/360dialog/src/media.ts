/**
 * @module
 * Media of incoming messages. WhatsApp hands out a media id; its bytes are fetched in two steps
 * with the API key (id → short-lived URL → bytes, specs/providers.md §2.4) and copied into CX's
 * file engine, so agents can open them without 360dialog credentials.
 */
import {
  classifyHttpStatus,
  type HttpClient,
  type HttpResponse,
  type Logger,
  PluginError,
  uploadToFileEngine,
} from '@plugboard/sdk'
import type { Endpoints } from './endpoints.js'
import { MediaInfoSchema } from './payloads.js'

/** A medium of a webhook message. */
export interface InboundMedia {
  /** WhatsApp's media id; absent when a gateway sent only a URL. */
  id: string | undefined
  link: string | undefined
  mimeType: string
  /** The customer's file name (documents), or one made from the id and the type. */
  fileName: string
}

/** A medium as the CIM attachment refers to it. */
export interface ResolvedMedia {
  mediaUrl: string
  mimeType: string
  fileName: string
  /** Bytes, when the medium was copied. */
  size?: number
}

export interface MediaDeps {
  request: HttpClient
  log: Logger
  apiKey: string
  endpoints: Endpoints
  timeoutMs: number
  fileEngineUrl?: string
  fileEnginePublicUrl?: string
  /** The connector's own link to a medium (see `media-link.ts`). */
  mediaLink(mediaId: string): string
  /** Called with the reason whenever a medium is not copied to the file engine after all. */
  onFallback(reason: string): void
}

/**
 * With a file engine the medium is downloaded and uploaded there. Without one, or when either step
 * fails, the attachment points at the connector's signed media link, which fetches it from
 * 360dialog on demand; a customer message is never refused over an attachment.
 */
export async function resolveMedia(media: InboundMedia, deps: MediaDeps): Promise<ResolvedMedia> {
  const { mimeType, fileName } = media
  if (media.id === undefined) {
    return { mediaUrl: media.link ?? '', mimeType, fileName }
  }
  const passThrough: ResolvedMedia = { mediaUrl: deps.mediaLink(media.id), mimeType, fileName }
  if (!deps.fileEngineUrl) return passThrough
  try {
    const file = await downloadMedia(media.id, deps)
    const type = mimeType || file.contentType
    const name = await uploadToFileEngine(
      deps.fileEngineUrl,
      { data: file.data, fileName, mimeType: type },
      deps,
    )
    const base = (deps.fileEnginePublicUrl ?? deps.fileEngineUrl).replace(/\/+$/, '')
    return {
      mediaUrl: `${base}/api/downloadFileStream?filename=${encodeURIComponent(name)}`,
      mimeType: type,
      fileName,
      size: file.data.byteLength,
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    deps.log.warn(
      { mediaId: media.id, reason },
      'could not copy a WhatsApp medium to the file engine; passing the connector’s media link on',
    )
    deps.onFallback(error instanceof PluginError ? error.code : 'ERROR')
    return passThrough
  }
}

/**
 * Fetches a medium's bytes with the API key: `GET {host}/{id}` answers the download URL (Cloud
 * API), which is fetched through the API host; an answer that is not JSON is the medium itself
 * (the On-Premise API serves bytes at once).
 */
export async function downloadMedia(
  mediaId: string,
  deps: Pick<MediaDeps, 'request' | 'apiKey' | 'endpoints' | 'timeoutMs'>,
): Promise<{ data: Uint8Array; contentType: string }> {
  const key = { 'D360-API-KEY': deps.apiKey }
  const info = await get(deps.endpoints.media(mediaId), key, deps, 'media lookup')
  const infoType = header(info, 'content-type') ?? ''
  if (!infoType.includes('json')) {
    return { data: new Uint8Array(await info.arrayBuffer()), contentType: infoType || octet }
  }
  let parsed: ReturnType<typeof MediaInfoSchema.safeParse>
  try {
    parsed = MediaInfoSchema.safeParse(JSON.parse(await info.text()))
  } catch {
    parsed = MediaInfoSchema.safeParse(undefined)
  }
  if (!parsed.success) {
    throw PluginError.terminal(
      'MEDIA_LOOKUP_FAILED',
      `360dialog's answer for medium ${mediaId} has no download URL`,
    )
  }
  const target = deps.endpoints.download(parsed.data.url)
  const res = await get(target.url, target.withKey ? key : {}, deps, 'media download')
  return {
    data: new Uint8Array(await res.arrayBuffer()),
    contentType: parsed.data.mime_type ?? header(res, 'content-type') ?? octet,
  }
}

const octet = 'application/octet-stream'

async function get(
  url: string,
  headers: Record<string, string>,
  deps: Pick<MediaDeps, 'request' | 'timeoutMs'>,
  what: string,
): Promise<HttpResponse> {
  const res = await deps.request(url, { method: 'GET', headers, timeoutMs: deps.timeoutMs })
  const kind = classifyHttpStatus(res.status)
  if (kind === 'ok') return res
  const { origin, pathname } = new URL(url)
  throw new PluginError(
    kind,
    kind === 'auth' ? 'MEDIA_AUTH' : 'MEDIA_DOWNLOAD_FAILED',
    `${what} GET ${origin}${pathname} answered ${res.status}`,
    { status: res.status },
  )
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
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
  'application/msword': '.doc',
  'application/vnd.ms-excel': '.xls',
  'application/vnd.ms-powerpoint': '.ppt',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '.docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': '.xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': '.pptx',
}

/** The customer's file name when WhatsApp has one, else the media id and an extension for the type. */
export function fileNameFor(mediaId: string | undefined, mimeType: string, given?: string): string {
  if (given && given.trim() !== '') return given.trim()
  const mime = mimeType.split(';', 1)[0]!.trim().toLowerCase()
  return `${mediaId ?? 'media'}${EXTENSIONS[mime] ?? ''}`
}

function header(res: HttpResponse, name: string): string | undefined {
  const value = res.headers[name]
  return Array.isArray(value) ? value[0] : value
}
