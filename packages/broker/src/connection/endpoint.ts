import type { BrokerEndpoint } from '../broker.js'
import { BrokerError } from '../errors.js'

/** A broker URL taken apart once, so drivers never re-parse it and never log its credentials. */
export interface ParsedEndpoint {
  /** The URL as configured (credentials included): never log it. */
  url: string
  tls: boolean
  host: string
  port: number
  username?: string
  password?: string
  /** Decoded vhost; '/' when the URL has no path. */
  vhost: string
  /** The URL without user:pass, for status and logs. */
  display: string
}

export function parseEndpoint(endpoint: BrokerEndpoint): ParsedEndpoint {
  let url: URL
  try {
    url = new URL(endpoint.url)
  } catch (cause) {
    throw new BrokerError('BROKER_CONFIG_INVALID', `"${redactUrl(endpoint.url)}" is not a URL`, {
      cause,
    })
  }
  const tls = url.protocol === 'amqps:'
  if (!tls && url.protocol !== 'amqp:') {
    throw new BrokerError(
      'BROKER_CONFIG_INVALID',
      `broker URL ${redactUrl(endpoint.url)} must start with amqp:// or amqps://`,
    )
  }
  const path = url.pathname
  return {
    url: endpoint.url,
    tls,
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : tls ? 5671 : 5672,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    vhost: path.length > 1 ? decodeURIComponent(path.slice(1)) : '/',
    display: redactUrl(endpoint.url),
  }
}

/** Removes user:pass from a URL-looking string, even one that does not parse. */
export function redactUrl(url: string): string {
  return url.replace(/^(\w+:\/\/)[^@/]*@/, '$1')
}

/**
 * The order in which endpoints are tried on one reconnect round. With priority-backup the primary
 * always comes first; otherwise the last endpoint that worked does, so a healthy secondary is not
 * abandoned for a primary that may still be flapping.
 */
export function endpointOrder(count: number, preferred: number): number[] {
  const order: number[] = []
  for (let i = 0; i < count; i++) order.push((preferred + i) % count)
  return order
}
