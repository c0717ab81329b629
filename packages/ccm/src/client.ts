import { type CimMessage, classifyHttpStatus, PluginError, parseRetryAfter } from '@plugboard/sdk'
import { Agent, request } from 'undici'

export interface CcmClientOptions {
  /** CCM base URL (CCM_URL), e.g. `http://ccm-svc:8081` or `https://cx.example.com/ccm`. */
  url: string
  timeoutMs?: number
  connections?: number
}

export interface CcmClient {
  /** POSTs a CIM message to `{CCM_URL}/message/receive`; throws a classified PluginError on failure. */
  deliver(message: CimMessage): Promise<void>
  close(): Promise<void>
}

/**
 * Client for CCM's inbound endpoint. CCM documents no error contract, so: 2xx is accepted; 400,
 * 404 and 422 mean CCM will never take the message (unregistered channel, bad message) and are
 * terminal; 401/403 wait for credentials; 408, 429 and 5xx are retried, honouring Retry-After.
 */
export function createCcmClient(options: CcmClientOptions): CcmClient {
  const endpoint = `${options.url.replace(/\/+$/, '')}/message/receive`
  const timeoutMs = options.timeoutMs ?? 10_000
  const agent = new Agent({ connections: options.connections ?? 128, keepAliveTimeout: 30_000 })

  return {
    async deliver(message) {
      let status: number
      let retryAfter: string | undefined
      let detail = ''
      try {
        const res = await request(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(message),
          dispatcher: agent,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        })
        status = res.statusCode
        const ra = res.headers['retry-after']
        retryAfter = Array.isArray(ra) ? ra[0] : ra
        detail = status >= 300 ? (await res.body.text()).slice(0, 300) : ''
        if (status < 300) await res.body.dump()
      } catch (cause) {
        throw PluginError.retryable(
          'CCM_UNREACHABLE',
          `CCM at ${new URL(endpoint).origin} did not answer: ${(cause as Error).message}`,
          { cause },
        )
      }
      const kind = classifyHttpStatus(status)
      if (kind === 'ok') return
      const text = `CCM answered ${status}${detail ? `: ${detail}` : ''}`
      if (kind === 'terminal' && status !== 409) {
        throw PluginError.terminal('CCM_REJECTED', text, { status, providerCode: String(status) })
      }
      const retryAfterMs = parseRetryAfter(retryAfter)
      throw new PluginError(kind === 'auth' ? 'auth' : 'retryable', 'CCM_UNAVAILABLE', text, {
        status,
        providerCode: String(status),
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      })
    },
    close: () => agent.close(),
  }
}
