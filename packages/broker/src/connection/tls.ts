import { readFileSync } from 'node:fs'
import type { BrokerTls } from '../broker.js'
import { BrokerError } from '../errors.js'

export interface TlsMaterial {
  ca?: Buffer
  cert?: Buffer
  key?: Buffer
  rejectUnauthorized: boolean
}

/**
 * Reads the PEM files on every connection attempt, so certificates rotated on disk are picked up
 * by the next reconnect without a restart.
 */
export function readTls(tls: BrokerTls | undefined): TlsMaterial {
  const read = (path: string | undefined, what: string): Buffer | undefined => {
    if (!path) return undefined
    try {
      return readFileSync(path)
    } catch (cause) {
      throw new BrokerError('BROKER_TLS_FILE', `cannot read the TLS ${what} file ${path}`, {
        cause,
      })
    }
  }
  const ca = read(tls?.caFile, 'CA')
  const cert = read(tls?.certFile, 'certificate')
  const key = read(tls?.keyFile, 'key')
  return {
    ...(ca ? { ca } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    rejectUnauthorized: tls?.rejectUnauthorized ?? true,
  }
}
