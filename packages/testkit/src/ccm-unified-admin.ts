/**
 * @module
 * The Unified Admin side of the CCM simulator: channels and connector attributes served on CCM's
 * two GET endpoints, and changes pushed to the host's `/connector-configurations` as CCM does
 * (or dropped, to test the resync that repairs a lost push).
 */
import { randomUUID } from 'node:crypto'
import { errorResponse, json } from '@plugboard/sdk'
import type { Hono } from 'hono'
import type { HttpAnswer } from './simulator-http.js'

export interface UnifiedAdminAttribute {
  key: string
  type?: string
  value: unknown
}

/** A channel as the admin set it up in Unified Admin, in a few fields. */
export interface ChannelFixture {
  serviceIdentifier: string
  name?: string
  /** CCM channel type name, e.g. `SMS`, `WHATSAPP`. */
  channelType?: string
  /** The channel provider's name, e.g. `Twilio Connector`. */
  provider: string
  /** Channels with the same connector id share one connector and its attributes. */
  connectorId?: string
  connectorName?: string
  /** Key → value, or CCM's `{key, type, value}` list. */
  attributes: Record<string, unknown> | UnifiedAdminAttribute[]
  defaultOutbound?: boolean
  /** Default queue id (routingPolicy.routingObjectId). */
  queue?: string
  customerActivityTimeout?: number
}

export interface PushRecord {
  serviceIdentifier: string
  body: unknown
  dropped: boolean
  answer?: HttpAnswer
  error?: string
}

export interface UnifiedAdminSimulator {
  /** GET requests served (both endpoints), failed ones included. */
  readonly pulls: number
  /** Pushes made or dropped, in order. */
  readonly pushes: readonly PushRecord[]
  setChannel(channel: ChannelFixture): void
  removeChannel(serviceIdentifier: string): void
  /** The connector's attributes as Unified Admin holds them now. */
  attributes(serviceIdentifier: string): UnifiedAdminAttribute[]
  /**
   * Changes attribute values of the channel's connector, as an admin saving the form does, and
   * pushes the connector's attributes to the host (unless `push: false` or pushes are dropped).
   */
  changeAttributes(
    serviceIdentifier: string,
    changes: Record<string, unknown>,
    options?: { push?: boolean },
  ): Promise<HttpAnswer | undefined>
  /** Pushes the connector's current attributes for this channel. */
  push(serviceIdentifier: string): Promise<HttpAnswer | undefined>
  /** The next `n` pushes (default: all, until `dropPushes(0)`) are lost on the way. */
  dropPushes(n?: number): void
  /** Sent as `Authorization: Bearer <token>` with each push. */
  setPushToken(token: string | undefined): void
}

interface ConnectorRecord {
  id: string
  name: string
  provider: string
  attributes: UnifiedAdminAttribute[]
}

export interface UnifiedAdminDeps {
  /** Undefined while the simulator is up; else the failure to answer with. */
  failure(): Response | undefined
  post(path: string, body: string, headers: Record<string, string>): Promise<HttpAnswer>
  track<T>(promise: Promise<T>): Promise<T>
}

export function mountUnifiedAdmin(
  app: Hono,
  deps: UnifiedAdminDeps,
  fixtures: readonly ChannelFixture[] = [],
): UnifiedAdminSimulator {
  const channels = new Map<string, { fixture: ChannelFixture; connector: ConnectorRecord }>()
  const connectors = new Map<string, ConnectorRecord>()
  const pushes: PushRecord[] = []
  let pulls = 0
  let drop = 0
  let token: string | undefined

  const setChannel = (fixture: ChannelFixture) => {
    const id = fixture.connectorId ?? hexId()
    const attributes = toAttributes(fixture.attributes)
    const connector = connectors.get(id) ?? {
      id,
      name: fixture.connectorName ?? `${fixture.provider} connector`,
      provider: fixture.provider,
      attributes,
    }
    if (connectors.has(id) && attributes.length > 0) connector.attributes = attributes
    connectors.set(id, connector)
    channels.set(fixture.serviceIdentifier, { fixture, connector })
  }
  for (const f of fixtures) setChannel(f)

  const channelJson = (sid: string) => {
    const entry = channels.get(sid)
    if (!entry) return undefined
    const { fixture, connector } = entry
    const channelType = {
      id: hexId(),
      name: fixture.channelType ?? 'SMS',
      channelLogo: null,
      isInteractive: true,
      mediaRoutingDomain: hexId(),
    }
    return {
      id: hexId(),
      name: fixture.name ?? `${fixture.channelType ?? 'SMS'} ${sid}`,
      serviceIdentifier: sid,
      defaultOutbound: fixture.defaultOutbound ?? false,
      tenant: { id: 'tenant-1', name: 'expertflow' },
      channelConfig: {
        id: hexId(),
        channelMode: 'HYBRID',
        conversationBot: '',
        responseSla: 0,
        customerActivityTimeout: fixture.customerActivityTimeout ?? 2400,
        customerIdentificationCriteria: { value: null },
        routingPolicy: {
          agentSelectionPolicy: 'LONGEST_AVAILABLE',
          routeToLastAgent: true,
          routingMode: 'PUSH',
          routingObjectId: fixture.queue ?? hexId(),
          agentRequestTtl: 2400,
        },
        botId: null,
      },
      channelConnector: {
        id: connector.id,
        name: connector.name,
        channelProviderInterface: {
          id: hexId(),
          name: connector.provider,
          supportedChannelTypes: [channelType],
          providerWebhook: 'http://plugboard:8080/ccm-msg/receive',
          channelProviderConfigSchema: [],
        },
        channelProviderConfigs: connector.attributes,
        tenant: { id: 'tenant-1', name: 'expertflow' },
      },
      channelType,
    }
  }

  for (const prefix of ['', '/ccm']) {
    app.get(`${prefix}/channels/service-identifier/:sid`, (c) => {
      pulls++
      const failed = deps.failure()
      if (failed) return failed
      const body = channelJson(c.req.param('sid'))
      return body ? json(body) : errorResponse(404, 'NOT_FOUND', `no channel ${c.req.param('sid')}`)
    })
    app.get(`${prefix}/channel-connectors/configurations/:sid`, (c) => {
      pulls++
      const failed = deps.failure()
      if (failed) return failed
      const entry = channels.get(c.req.param('sid'))
      return entry
        ? json(entry.connector.attributes)
        : errorResponse(404, 'NOT_FOUND', `no channel ${c.req.param('sid')}`)
    })
  }

  const push = async (sid: string): Promise<HttpAnswer | undefined> => {
    const entry = channels.get(sid)
    if (!entry) throw new Error(`CCM simulator: no channel ${sid}`)
    const body = { serviceIdentifier: sid, connectorConfigurations: entry.connector.attributes }
    const record: PushRecord = { serviceIdentifier: sid, body, dropped: drop > 0 }
    pushes.push(record)
    if (drop > 0) {
      drop--
      return undefined
    }
    try {
      const answer = await deps.track(
        deps.post('/connector-configurations', JSON.stringify(body), {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        }),
      )
      record.answer = answer
      return answer
    } catch (error) {
      record.error = error instanceof Error ? error.message : String(error)
      throw error
    }
  }

  return {
    get pulls() {
      return pulls
    },
    pushes,
    setChannel,
    removeChannel: (sid) => void channels.delete(sid),
    attributes: (sid) => structuredClone(channels.get(sid)?.connector.attributes ?? []),
    async changeAttributes(sid, changes, options = {}) {
      const entry = channels.get(sid)
      if (!entry) throw new Error(`CCM simulator: no channel ${sid}`)
      const attributes = [...entry.connector.attributes]
      for (const [key, value] of Object.entries(changes)) {
        const i = attributes.findIndex((a) => a.key === key)
        if (i >= 0) attributes[i] = { ...attributes[i]!, value }
        else attributes.push({ key, type: 'String100', value })
      }
      entry.connector.attributes = attributes
      return options.push === false ? undefined : push(sid)
    },
    push,
    dropPushes(n = Number.POSITIVE_INFINITY) {
      drop = n
    },
    setPushToken(next) {
      token = next
    },
  }
}

function toAttributes(
  input: Record<string, unknown> | UnifiedAdminAttribute[],
): UnifiedAdminAttribute[] {
  if (Array.isArray(input)) return structuredClone(input)
  return Object.entries(input).map(([key, value]) => ({
    key,
    type:
      typeof value === 'boolean' ? 'Boolean' : typeof value === 'number' ? 'Number' : 'String100',
    value,
  }))
}

function hexId(): string {
  return randomUUID().replaceAll('-', '').slice(0, 24)
}
