import { isIP, connect as netConnect, type Socket } from 'node:net'
import { connect as tlsConnect } from 'node:tls'
import { smppError } from '../errors.js'
import type { Clock } from './clock.js'

export interface TlsSettings {
  /** Verify the SMSC's certificate (default true). Turn off only for a test SMSC. */
  rejectUnauthorized?: boolean
  /** PEM of the CA(s) that signed the SMSC's certificate, when it is not publicly trusted. */
  ca?: string
  /** Name to verify the certificate against; defaults to the host when it is a name. */
  servername?: string
}

export interface Endpoint {
  host: string
  port: number
  /** Set for SMPP over TLS. */
  tls?: TlsSettings | undefined
}

/** Opens a TCP (or TLS) connection to the SMSC; rejects with a coded error that says what to check. */
export function openSocket(
  endpoint: Endpoint,
  options: { timeoutMs: number; clock: Clock; signal?: AbortSignal },
): Promise<Socket> {
  const { host, port, tls } = endpoint
  const where = `${host}:${port}`
  return new Promise((resolve, reject) => {
    const socket: Socket = tls
      ? tlsConnect({
          host,
          port,
          rejectUnauthorized: tls.rejectUnauthorized ?? true,
          ...(tls.ca ? { ca: tls.ca } : {}),
          ...(tls.servername || !isIP(host) ? { servername: tls.servername ?? host } : {}),
        })
      : netConnect({ host, port })
    let settled = false
    const finish = (error?: Error) => {
      if (settled) return
      settled = true
      options.clock.clearTimeout(timer)
      options.signal?.removeEventListener('abort', onAbort)
      socket.off('error', onError)
      if (error) {
        socket.destroy()
        reject(error)
      } else {
        socket.setNoDelay(true)
        socket.setKeepAlive(true, 30_000)
        resolve(socket)
      }
    }
    const onError = (error: Error & { code?: string }) => {
      const tlsProblem =
        tls && /CERT|SSL|TLS|self.signed|altname/i.test(`${error.code} ${error.message}`)
      finish(
        smppError(
          'SMPP_CONNECT_FAILED',
          tlsProblem
            ? `TLS handshake with ${where} failed (${error.code ?? error.message}); check SMPP-SECURE, and set tlsCa when the SMSC's certificate is not publicly trusted`
            : `could not connect to ${where} (${error.code ?? error.message}); check SMPP-REMOTE-IP-ADDRESS, SMPP-REMOTE-PORT and that the SMSC accepts this host`,
          { cause: error },
        ),
      )
    }
    const onAbort = () => finish(smppError('SMPP_CLOSED', `connecting to ${where} was cancelled`))
    const timer = options.clock.setTimeout(
      () =>
        finish(
          smppError(
            'SMPP_CONNECT_TIMEOUT',
            `no connection to ${where} within ${options.timeoutMs} ms; check the address, port and firewalls`,
          ),
        ),
      options.timeoutMs,
    )
    socket.once(tls ? 'secureConnect' : 'connect', () => finish())
    socket.on('error', onError)
    if (options.signal?.aborted) onAbort()
    else options.signal?.addEventListener('abort', onAbort, { once: true })
  })
}
