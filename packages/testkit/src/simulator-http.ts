/**
 * @module
 * The simulators' HTTP on loopback: serving a fetch-style handler, and posting to the host.
 */
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { getRequestListener } from '@hono/node-server'
import { Agent, request } from 'undici'

export interface LoopbackServerOptions {
  fetch: (request: Request) => Response | Promise<Response>
  /** Default 0: any free port. */
  port?: number
  /** Default `127.0.0.1`. */
  host?: string
  /** Asked per request; `true` destroys the socket without an answer, like a crashed peer. */
  refuse?: (incoming: IncomingMessage) => boolean
}

export interface LoopbackServer {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  readonly url: string
  readonly port: number
  close(): Promise<void>
}

export async function listenLoopback(options: LoopbackServerOptions): Promise<LoopbackServer> {
  const host = options.host ?? '127.0.0.1'
  const listener = getRequestListener((request) => options.fetch(request))
  const server = createServer((incoming, outgoing) => {
    if (options.refuse?.(incoming)) {
      incoming.socket.destroy()
      return
    }
    void listener(incoming, outgoing)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  let closing: Promise<void> | undefined
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve())
        // Keep-alive clients would otherwise hold the server open until they time out.
        server.closeAllConnections()
      })
      return closing
    },
  }
}

/** What the host answered to a simulator's POST. */
export interface HttpAnswer {
  status: number
  /** Parsed JSON when the answer is JSON, else the text. */
  body: unknown
}

export interface Poster {
  post(url: string, body: string, headers?: Record<string, string>): Promise<HttpAnswer>
  /** Aborts requests in flight and closes pooled connections. */
  close(): Promise<void>
}

/** A client with its own connection pool, so closing a simulator leaves no sockets behind. */
export function createPoster(): Poster {
  const agent = new Agent({ keepAliveTimeout: 1000 })
  return {
    async post(url, body, headers = {}) {
      const res = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
        dispatcher: agent,
      })
      const raw = await res.body.text()
      if (!String(res.headers['content-type'] ?? '').includes('json')) {
        return { status: res.statusCode, body: raw }
      }
      try {
        return { status: res.statusCode, body: JSON.parse(raw) as unknown }
      } catch {
        return { status: res.statusCode, body: raw }
      }
    },
    close: () => agent.destroy(),
  }
}
