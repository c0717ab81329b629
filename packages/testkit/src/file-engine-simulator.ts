/**
 * @module
 * A stand-in for CX's file engine (specs/ccm-cim.md §2.6): plugins upload customer media with
 * `POST /api/uploadFileStream` (multipart `file`) and agents fetch it from
 * `GET /api/downloadFileStream?filename=<name>`. Set `FILE_ENGINE_URL` to its `url`.
 */
import { randomUUID } from 'node:crypto'
import { errorResponse, json } from '@plugboard/sdk'
import { Hono } from 'hono'
import { listenLoopback } from './simulator-http.js'

export interface StoredFile {
  /** The name the file engine gave it; downloads use it. */
  name: string
  /** The file name the uploader sent. */
  originalName: string
  type: string
  size: number
  data: Uint8Array
  conversationId: string | undefined
}

export interface FileEngineSimulator {
  readonly url: string
  readonly files: readonly StoredFile[]
  /** Every upload request, failed ones included. */
  readonly uploads: number
  /** The next `n` uploads are answered `status` (default 500). */
  failNext(n: number, status?: number): void
  /** Where an agent would download a stored file. */
  downloadUrl(name: string): string
  close(): Promise<void>
}

export async function startFileEngineSimulator(
  options: { port?: number } = {},
): Promise<FileEngineSimulator> {
  const files: StoredFile[] = []
  const failures: number[] = []
  let uploads = 0
  const app = new Hono()
  app.post('/api/uploadFileStream', async (c) => {
    uploads++
    const failure = failures.shift()
    if (failure !== undefined)
      return errorResponse(failure, 'SIMULATED_FAILURE', 'file engine down')
    let form: FormData
    try {
      form = await c.req.raw.formData()
    } catch {
      return errorResponse(400, 'INVALID_MULTIPART', 'expected multipart/form-data')
    }
    const file = form.get('file')
    if (!(file instanceof File)) return errorResponse(400, 'NO_FILE', 'the "file" part is missing')
    const conversationId = form.get('conversationId')
    const stored: StoredFile = {
      name: `${randomUUID()}-${file.name}`,
      originalName: file.name,
      type: file.type || 'application/octet-stream',
      size: file.size,
      data: new Uint8Array(await file.arrayBuffer()),
      conversationId: typeof conversationId === 'string' ? conversationId : undefined,
    }
    files.push(stored)
    return json({ name: stored.name, type: stored.type, size: stored.size, etag: randomUUID() })
  })
  app.get('/api/downloadFileStream', (c) => {
    const stored = files.find((f) => f.name === c.req.query('filename'))
    if (!stored) return errorResponse(404, 'NOT_FOUND', 'no such file')
    return new Response(Buffer.from(stored.data), { headers: { 'content-type': stored.type } })
  })
  const server = await listenLoopback({ fetch: (req) => app.fetch(req), port: options.port })
  return {
    url: server.url,
    files,
    get uploads() {
      return uploads
    },
    failNext(n, status = 500) {
      for (let i = 0; i < n; i++) failures.push(status)
    },
    downloadUrl: (name) =>
      `${server.url}/api/downloadFileStream?filename=${encodeURIComponent(name)}`,
    close: () => server.close(),
  }
}
