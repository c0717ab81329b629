import { type HttpClient, type HttpResponse, PluginError } from '@plugboard/sdk'
import { Agent, type Dispatcher, ProxyAgent, request } from 'undici'

export interface HttpClientOptions {
  /** Default whole-request timeout. */
  timeoutMs?: number
  /** Forward proxy for every call (USE_FORWARD_PROXY). */
  proxy?: {
    host: string
    port: number
    user?: string
    password?: string
    protocol?: 'http' | 'https'
  }
  connections?: number
}

/**
 * The pooled HTTP client given to plugins and used for CCM. undici's `request` on a keep-alive
 * pool costs a fraction of `fetch` per call. Failures that say nothing about the message (refused
 * connections, resets, timeouts) become retryable PluginErrors.
 */
export function createHttpClient(
  options: HttpClientOptions = {},
): HttpClient & { close(): Promise<void>; dispatcher: Dispatcher } {
  const defaultTimeout = options.timeoutMs ?? 10_000
  const dispatcher: Dispatcher = options.proxy
    ? new ProxyAgent({
        uri: `${options.proxy.protocol ?? 'http'}://${options.proxy.host}:${options.proxy.port}`,
        ...(options.proxy.user
          ? {
              token: `Basic ${Buffer.from(`${options.proxy.user}:${options.proxy.password ?? ''}`).toString('base64')}`,
            }
          : {}),
      })
    : new Agent({
        connections: options.connections ?? 128,
        keepAliveTimeout: 30_000,
        pipelining: 1,
      })

  const client = async (
    url: string | URL,
    opts: Parameters<HttpClient>[1] = {},
  ): Promise<HttpResponse> => {
    const timeoutMs = opts.timeoutMs ?? defaultTimeout
    const target = typeof url === 'string' ? url : url.toString()
    try {
      const res = await request(target, {
        method: (opts.method ?? 'GET') as Dispatcher.HttpMethod,
        headers: opts.headers,
        body: opts.body,
        dispatcher,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
      })
      // Buffer once so text()/json() can both be called and the socket goes back to the pool.
      const buffer = Buffer.from(await res.body.arrayBuffer())
      return {
        status: res.statusCode,
        headers: res.headers as Record<string, string | string[] | undefined>,
        text: async () => buffer.toString('utf8'),
        json: async <T>() => JSON.parse(buffer.toString('utf8')) as T,
        arrayBuffer: async () =>
          buffer.buffer.slice(
            buffer.byteOffset,
            buffer.byteOffset + buffer.byteLength,
          ) as ArrayBuffer,
      }
    } catch (cause) {
      throw toPluginError(cause, target, timeoutMs)
    }
  }
  return Object.assign(client, { close: () => dispatcher.close(), dispatcher })
}

function toPluginError(cause: unknown, url: string, timeoutMs: number): PluginError {
  const origin = safeOrigin(url)
  // AbortSignal.timeout() rejects with a DOMException whose numeric `code` is 23, so the name
  // has to be checked as well as the code.
  const { code, name } = (cause ?? {}) as { code?: unknown; name?: unknown }
  const timedOut =
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    name === 'TimeoutError' ||
    name === 'AbortError'
  if (timedOut) {
    return PluginError.retryable('TIMEOUT', `no answer from ${origin} within ${timeoutMs} ms`, {
      cause,
    })
  }
  return PluginError.retryable(
    'NETWORK_ERROR',
    `request to ${origin} failed: ${(cause as Error)?.message ?? cause}`,
    {
      cause,
    },
  )
}

/** Only the origin: paths and query strings can carry tokens. */
function safeOrigin(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return 'the provider'
  }
}
