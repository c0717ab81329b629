/**
 * @module
 * Attachments of simulated customer messages, served as Meta serves them: a lookaside URL that
 * redirects to a CDN URL signed in its query (`oh`, `oe`), which refuses a wrong signature.
 */
import { randomBytes } from 'node:crypto'

/** What a customer attaches. */
export type GraphAttachmentInput =
  | {
      type: 'image' | 'video' | 'audio' | 'file'
      contentType: string
      content: string | Uint8Array
      /** Kept in the CDN URL's path, as Meta does for files. */
      fileName?: string
    }
  /** A sticker (the thumbs-up is 369239263222822): an image with `sticker_id`. */
  | { type: 'sticker'; stickerId?: number }
  | { type: 'location'; latitude: number; longitude: number; title?: string }
  /** A shared link. */
  | { type: 'fallback'; url: string; title?: string }
  /** Any attachment object, posted as given. */
  | { raw: Record<string, unknown> }

/** One GET of an attachment. */
export interface GraphAttachmentRequest {
  id: string
  where: 'lookaside' | 'cdn'
  status: number
}

interface Stored {
  id: string
  fileName: string
  contentType: string
  data: Uint8Array
  token: string
}

export interface AttachmentStore {
  /** The webhook's attachment object for an input; files are stored and served. */
  add(input: GraphAttachmentInput): Record<string, unknown>
  /** Answers `GET /lookaside/{id}` and `GET /cdn/{id}/{name}`, or undefined for another path. */
  serve(url: URL): Response | undefined
  readonly requests: readonly GraphAttachmentRequest[]
}

const STICKER_PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

export function createAttachmentStore(baseUrl: () => string): AttachmentStore {
  const files = new Map<string, Stored>()
  const requests: GraphAttachmentRequest[] = []
  const store = (fileName: string, contentType: string, content: string | Uint8Array) => {
    const id = randomBytes(8).toString('hex')
    const data = typeof content === 'string' ? new TextEncoder().encode(content) : content
    files.set(id, { id, fileName, contentType, data, token: randomBytes(12).toString('hex') })
    return `${baseUrl()}/lookaside/${id}?asset_id=${id}&ext=1`
  }
  const record = (id: string, where: GraphAttachmentRequest['where'], res: Response) => {
    requests.push({ id, where, status: res.status })
    return res
  }
  return {
    add(input) {
      if ('raw' in input) return input.raw
      switch (input.type) {
        case 'sticker': {
          const id = input.stickerId ?? 369239263222822
          return {
            type: 'image',
            payload: { url: store(`${id}.png`, 'image/png', STICKER_PNG), sticker_id: id },
          }
        }
        case 'location':
          return {
            type: 'location',
            title: input.title ?? 'Pinned Location',
            url: `https://l.facebook.com/l.php?u=https%3A%2F%2Fwww.bing.com%2Fmaps%2Fdefault.aspx%3Fv%3D2%26pc%3DFACEBK%26mid%3D8100%26where1%3D${input.latitude}%252C%2B${input.longitude}`,
            payload: { coordinates: { lat: input.latitude, long: input.longitude } },
          }
        case 'fallback':
          return {
            type: 'fallback',
            title: input.title ?? input.url,
            url: input.url,
            payload: null,
          }
        default: {
          const name =
            input.fileName ?? `${randomBytes(6).toString('hex')}_n${extension(input.contentType)}`
          return {
            type: input.type,
            payload: { url: store(name, input.contentType, input.content) },
          }
        }
      }
    },
    serve(url) {
      const lookaside = /^\/lookaside\/([0-9a-f]+)$/.exec(url.pathname)
      if (lookaside) {
        const file = files.get(lookaside[1]!)
        if (!file)
          return record(lookaside[1]!, 'lookaside', new Response('Not Found', { status: 404 }))
        const location = `${baseUrl()}/cdn/${file.id}/${encodeURIComponent(file.fileName)}?_nc_cat=1&oh=${file.token}&oe=${(Date.now() / 1000 + 3600).toString(16).split('.')[0]}`
        return record(
          file.id,
          'lookaside',
          new Response(null, { status: 302, headers: { location } }),
        )
      }
      const cdn = /^\/cdn\/([0-9a-f]+)\/[^/]+$/.exec(url.pathname)
      if (cdn) {
        const file = files.get(cdn[1]!)
        if (!file) return record(cdn[1]!, 'cdn', new Response('Not Found', { status: 404 }))
        if (url.searchParams.get('oh') !== file.token) {
          return record(file.id, 'cdn', new Response('URL signature mismatch', { status: 403 }))
        }
        return record(
          file.id,
          'cdn',
          new Response(Buffer.from(file.data), { headers: { 'content-type': file.contentType } }),
        )
      }
      return undefined
    },
    requests,
  }
}

function extension(contentType: string): string {
  const known: Record<string, string> = {
    'image/jpeg': '.jpg',
    'image/png': '.png',
    'video/mp4': '.mp4',
    'audio/mpeg': '.mp3',
    'audio/mp4': '.mp4',
    'application/pdf': '.pdf',
  }
  return known[contentType] ?? ''
}
