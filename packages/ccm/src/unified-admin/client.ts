import type { Attribute } from '@plugboard/sdk'
import { Agent, request } from 'undici'
import type { z } from 'zod'
import {
  ChannelSchema,
  ConfigurationsSchema,
  toChannel,
  type UnifiedAdminChannel,
} from './model.js'

export interface UnifiedAdminClientOptions {
  /** CCM base URL (CCM_URL). */
  url: string
  timeoutMs?: number
}

export interface UnifiedAdminClient {
  /** Both GETs for one channel, combined; throws UnifiedAdminError when CCM cannot say. */
  fetchChannel(serviceIdentifier: string): Promise<UnifiedAdminChannel>
  close(): Promise<void>
}

export type UnifiedAdminErrorCode = 'UA_UNREACHABLE' | 'UA_NOT_FOUND' | 'UA_REJECTED' | 'UA_INVALID'

/** Why a pull failed, with what to do about it. */
export class UnifiedAdminError extends Error {
  readonly code: UnifiedAdminErrorCode
  readonly fix: string
  constructor(code: UnifiedAdminErrorCode, message: string, fix: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause })
    this.name = 'UnifiedAdminError'
    this.code = code
    this.fix = fix
  }
}

/**
 * Reads channel and connector settings from CCM: `GET /channels/service-identifier/{sid}` (the
 * channel, its connector and provider) and `GET /channel-connectors/configurations/{sid}` (the
 * attribute values). The second is authoritative for attributes; the channel's embedded copy is
 * the fallback when CCM does not serve it.
 */
export function createUnifiedAdminClient(options: UnifiedAdminClientOptions): UnifiedAdminClient {
  const base = options.url.replace(/\/+$/, '')
  const timeoutMs = options.timeoutMs ?? 10_000
  const agent = new Agent({ connections: 8, keepAliveTimeout: 30_000 })

  async function get<T extends z.ZodType>(
    path: string,
    schema: T,
    what: string,
  ): Promise<z.output<T> | undefined> {
    const url = `${base}${path}`
    let status: number
    let text: string
    try {
      const res = await request(url, {
        method: 'GET',
        headers: { accept: 'application/json' },
        dispatcher: agent,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      })
      status = res.statusCode
      text = await res.body.text()
    } catch (cause) {
      throw new UnifiedAdminError(
        'UA_UNREACHABLE',
        `CCM at ${base} did not answer ${what}: ${(cause as Error).message}`,
        'check CCM_URL and that CCM is up; the host keeps the last settings it had',
        cause,
      )
    }
    if (status === 404) return undefined
    if (status >= 300) {
      throw new UnifiedAdminError(
        status >= 500 ? 'UA_UNREACHABLE' : 'UA_REJECTED',
        `CCM answered ${status} to ${what}: ${text.slice(0, 200)}`,
        status === 401 || status === 403
          ? 'CCM refused the request: expose the route without authentication to this host'
          : 'check CCM_URL points at CCM (…/ccm behind the gateway)',
      )
    }
    let data: unknown
    try {
      data = text === '' ? undefined : JSON.parse(text)
    } catch (cause) {
      throw new UnifiedAdminError(
        'UA_INVALID',
        `CCM's answer to ${what} is not JSON`,
        'check CCM_URL points at CCM',
        cause,
      )
    }
    const parsed = schema.safeParse(data)
    if (!parsed.success) {
      throw new UnifiedAdminError(
        'UA_INVALID',
        `CCM's answer to ${what} has an unexpected shape: ${parsed.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
          .join('; ')}`,
        'check the CCM version; this host reads CCM 4.x/5.x channel objects',
      )
    }
    return parsed.data
  }

  return {
    async fetchChannel(serviceIdentifier) {
      const sid = encodeURIComponent(serviceIdentifier)
      const [channel, attributes] = await Promise.all([
        get(
          `/channels/service-identifier/${sid}`,
          ChannelSchema,
          `the channel ${serviceIdentifier}`,
        ),
        get(
          `/channel-connectors/configurations/${sid}`,
          ConfigurationsSchema,
          `the connector settings of ${serviceIdentifier}`,
        ),
      ])
      if (!channel) {
        throw new UnifiedAdminError(
          'UA_NOT_FOUND',
          `Unified Admin has no channel with serviceIdentifier '${serviceIdentifier}'`,
          'create the channel in Unified Admin, or remove it from SERVICE_IDENTIFIERS',
        )
      }
      return toChannel(channel, attributes as Attribute[] | undefined)
    },
    close: () => agent.close(),
  }
}
