/**
 * @module
 * Media of simulated incoming messages, served as Twilio does: the API URL checks HTTP basic
 * auth (when "Enforce HTTP Auth on Media URLs" is on) and redirects to a CDN URL that is
 * signed in its query and, like S3, refuses a request that brings its own Authorization.
 */
import { randomBytes } from 'node:crypto'
import { type LoopbackServer, listenLoopback } from '../simulator-http.js'
import { twilioSid } from './ids.js'
import { errorBody } from './resources.js'

export interface MediaInput {
  contentType: string
  content: string | Uint8Array
}

interface StoredMedium {
  sid: string
  accountSid: string
  messageSid: string
  contentType: string
  data: Uint8Array
  token: string
}

/** One GET of a medium, at the API or at the CDN. */
export interface MediaRequest {
  sid: string
  where: 'api' | 'cdn'
  status: number
}

export interface MediaStore {
  /** Stores a medium of message `messageSid`; resolves with its API URL. */
  add(accountSid: string, messageSid: string, input: MediaInput): string
  /** Answers `GET /2010-04-01/Accounts/{sid}/Messages/{MM}/Media/{ME}`. */
  serve(req: Request, accountSid: string, mediaSid: string, authorized: boolean): Response
  readonly requests: readonly MediaRequest[]
  close(): Promise<void>
}

export async function createMediaStore(options: {
  apiUrl: () => string
  requireAuth: boolean
  redirect: boolean
}): Promise<MediaStore> {
  const media = new Map<string, StoredMedium>()
  const requests: MediaRequest[] = []
  const record = (sid: string, where: MediaRequest['where'], res: Response) => {
    requests.push({ sid, where, status: res.status })
    return res
  }
  // Its own origin, as Twilio's CDN is another host than api.twilio.com.
  const cdn: LoopbackServer = await listenLoopback({
    fetch: (req) => {
      const url = new URL(req.url)
      const sid = /^\/media\/([^/]+)$/.exec(url.pathname)?.[1] ?? ''
      const medium = media.get(sid)
      if (!medium) return record(sid, 'cdn', new Response('NoSuchKey', { status: 404 }))
      if (req.headers.has('authorization')) {
        const xml =
          '<Error><Code>InvalidArgument</Code><Message>Only one auth mechanism allowed</Message></Error>'
        return record(sid, 'cdn', new Response(xml, { status: 400 }))
      }
      if (url.searchParams.get('Signature') !== medium.token) {
        return record(sid, 'cdn', new Response('AccessDenied', { status: 403 }))
      }
      return record(sid, 'cdn', content(medium))
    },
  })

  return {
    add(accountSid, messageSid, input) {
      const sid = twilioSid('ME')
      const data =
        typeof input.content === 'string' ? new TextEncoder().encode(input.content) : input.content
      const token = randomBytes(12).toString('hex')
      media.set(sid, { sid, accountSid, messageSid, contentType: input.contentType, data, token })
      return `${options.apiUrl()}/2010-04-01/Accounts/${accountSid}/Messages/${messageSid}/Media/${sid}`
    },
    serve(_req, accountSid, mediaSid, authorized) {
      const medium = media.get(mediaSid)
      if (!medium || medium.accountSid !== accountSid) {
        const body = errorBody(404, 20404, `The requested resource was not found`)
        return record(mediaSid, 'api', Response.json(body, { status: 404 }))
      }
      if (options.requireAuth && !authorized) {
        const body = errorBody(401, 20003, 'Authenticate')
        return record(mediaSid, 'api', Response.json(body, { status: 401 }))
      }
      if (!options.redirect) return record(mediaSid, 'api', content(medium))
      const location = `${cdn.url}/media/${mediaSid}?Expires=4102444800&Signature=${medium.token}`
      return record(mediaSid, 'api', new Response(null, { status: 307, headers: { location } }))
    },
    requests,
    close: () => cdn.close(),
  }
}

function content(medium: StoredMedium): Response {
  return new Response(Buffer.from(medium.data), {
    status: 200,
    headers: { 'content-type': medium.contentType },
  })
}
