/**
 * @module
 * Media as 360dialog serves them (specs/providers.md §2.4): `GET /{media_id}` answers a
 * short-lived Meta URL (`https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=…`), which
 * must be fetched through the API host, `GET /whatsapp_business/attachments/?mid=…`, with the API
 * key. `POST /media` uploads, `DELETE /{media_id}` deletes. Every step wants the D360-API-KEY.
 */
import { createHash, randomBytes } from 'node:crypto'
import { graphError } from './graph-error.js'
import { metaId } from './ids.js'

export interface StoredMedia {
  id: string
  mimeType: string
  data: Uint8Array
  sha256: string
  filename: string | undefined
  /** The `hash` of the download URL; a URL with another one is refused. */
  hash: string
}

/** One GET of a medium: the id lookup or the download. */
export interface MediaRequest {
  mediaId: string
  step: 'lookup' | 'download'
  status: number
}

export interface MediaStore {
  add(input: { content: string | Uint8Array; mimeType: string; filename?: string }): StoredMedia
  get(id: string): StoredMedia | undefined
  lookup(id: string, authorized: boolean): Response
  download(url: URL, authorized: boolean): Response
  upload(req: Request, authorized: boolean): Promise<Response>
  remove(id: string, authorized: boolean): Response
  readonly requests: readonly MediaRequest[]
}

export function createMediaStore(): MediaStore {
  const media = new Map<string, StoredMedia>()
  const requests: MediaRequest[] = []
  const record = (mediaId: string, step: MediaRequest['step'], res: Response) => {
    requests.push({ mediaId, step, status: res.status })
    return res
  }
  const unauthorized = () => Response.json({ error: 'Invalid api key' }, { status: 401 })
  const notFound = (id: string) =>
    graphError({
      status: 404,
      code: 100,
      subcode: 33,
      message: `Unsupported get request. Object with ID '${id}' does not exist`,
      type: 'GraphMethodException',
    })

  const add: MediaStore['add'] = (input) => {
    const data =
      typeof input.content === 'string' ? new TextEncoder().encode(input.content) : input.content
    const stored: StoredMedia = {
      id: metaId(),
      mimeType: input.mimeType,
      data,
      sha256: createHash('sha256').update(data).digest('hex'),
      filename: input.filename,
      hash: randomBytes(16).toString('hex'),
    }
    media.set(stored.id, stored)
    return stored
  }

  return {
    add,
    get: (id) => media.get(id),
    lookup(id, authorized) {
      if (!authorized) return record(id, 'lookup', unauthorized())
      const stored = media.get(id)
      if (!stored) return record(id, 'lookup', notFound(id))
      const url = `https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=${stored.id}&ext=${Math.floor(Date.now() / 1000)}&hash=${stored.hash}`
      return record(
        id,
        'lookup',
        Response.json({
          url,
          mime_type: stored.mimeType,
          sha256: stored.sha256,
          file_size: stored.data.byteLength,
          id: stored.id,
          messaging_product: 'whatsapp',
        }),
      )
    },
    download(url, authorized) {
      const id = url.searchParams.get('mid') ?? ''
      if (!authorized) return record(id, 'download', unauthorized())
      const stored = media.get(id)
      if (!stored || url.searchParams.get('hash') !== stored.hash) {
        return record(id, 'download', new Response('Not Found', { status: 404 }))
      }
      return record(
        id,
        'download',
        new Response(Buffer.from(stored.data), {
          status: 200,
          headers: { 'content-type': stored.mimeType },
        }),
      )
    },
    async upload(req, authorized) {
      if (!authorized) return unauthorized()
      let form: FormData
      try {
        form = await req.formData()
      } catch {
        return graphError({ status: 400, code: 100, message: 'expected multipart/form-data' })
      }
      const file = form.get('file')
      if (form.get('messaging_product') !== 'whatsapp' || !(file instanceof File)) {
        return graphError({
          status: 400,
          code: 100,
          message: '(#100) Invalid parameter',
          details: 'messaging_product=whatsapp and a file part are required',
        })
      }
      const typeField = form.get('type')
      const stored = add({
        content: new Uint8Array(await file.arrayBuffer()),
        mimeType: (typeof typeField === 'string' && typeField) || file.type,
        filename: file.name,
      })
      return Response.json({ id: stored.id })
    },
    remove(id, authorized) {
      if (!authorized) return unauthorized()
      if (!media.delete(id)) return notFound(id)
      return Response.json({ success: true })
    },
    requests,
  }
}
