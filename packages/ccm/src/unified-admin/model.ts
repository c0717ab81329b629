import type { Attribute } from '@plugboard/sdk'
import { z } from 'zod'

/**
 * What Unified Admin says about one channel, reduced to what the host needs. CCM's objects carry
 * more (tenant, bot, SLA…); the schemas below keep unknown fields out and tolerate missing ones,
 * since CCM documents none of this and versions differ.
 */
export interface UnifiedAdminChannel {
  serviceIdentifier: string
  name?: string
  /** CCM channel type name, e.g. `WHATSAPP`, `SMS`. */
  channelType?: string
  defaultOutbound?: boolean
  /** Unified Admin's channel connector. */
  connector: { id?: string; name?: string }
  /** The channel provider (interface) the connector is an instance of. */
  provider: { id?: string; name?: string }
  /** The connector's attribute values (channelProviderConfigs). */
  attributes: Attribute[]
  routing?: {
    mode?: string
    queue?: string
    customerActivityTimeout?: number
  }
}

export interface UnifiedAdminSnapshot {
  /** When CCM last answered for every channel. */
  syncedAt?: string
  channels: Record<string, UnifiedAdminChannel>
}

export const AttributeSchema = z.looseObject({
  key: z.string().min(1),
  type: z.string().optional(),
  value: z.unknown(),
})

/** `GET /channel-connectors/configurations/{sid}`: an attribute list, bare or wrapped. */
export const ConfigurationsSchema = z.union([
  z.array(AttributeSchema),
  z
    .looseObject({
      channelProviderConfigs: z.array(AttributeSchema).optional(),
      connectorConfigurations: z.array(AttributeSchema).optional(),
      configurations: z.array(AttributeSchema).optional(),
    })
    .transform((o) => o.channelProviderConfigs ?? o.connectorConfigurations ?? o.configurations),
])

const Named = z.looseObject({ id: z.string().optional(), name: z.string().optional() })

/** `GET /channels/service-identifier/{sid}`: CCM's Channel object. */
export const ChannelSchema = z.looseObject({
  id: z.string().optional(),
  name: z.string().optional(),
  serviceIdentifier: z.union([z.string(), z.number().transform(String)]),
  defaultOutbound: z.boolean().nullish(),
  channelType: Named.nullish(),
  channelConnector: z
    .looseObject({
      id: z.string().optional(),
      name: z.string().optional(),
      channelProviderInterface: Named.nullish(),
      channelProviderConfigs: z.array(AttributeSchema).nullish(),
    })
    .nullish(),
  channelConfig: z
    .looseObject({
      customerActivityTimeout: z.number().nullish(),
      routingPolicy: z
        .looseObject({ routingMode: z.string().nullish(), routingObjectId: z.string().nullish() })
        .nullish(),
    })
    .nullish(),
})

/** `POST /connector-configurations`, as CCM pushes it. */
export const PushSchema = z.object({
  serviceIdentifier: z.union([z.string().min(1), z.number().transform(String)]),
  connectorConfigurations: z.array(AttributeSchema),
})
export type Push = z.output<typeof PushSchema>

export function toChannel(
  channel: z.output<typeof ChannelSchema>,
  attributes: Attribute[] | undefined,
): UnifiedAdminChannel {
  const connector = channel.channelConnector
  const provider = connector?.channelProviderInterface
  const routing = channel.channelConfig
  const attrs = attributes ?? connector?.channelProviderConfigs ?? []
  return {
    serviceIdentifier: channel.serviceIdentifier,
    ...(channel.name ? { name: channel.name } : {}),
    ...(channel.channelType?.name ? { channelType: channel.channelType.name } : {}),
    ...(typeof channel.defaultOutbound === 'boolean'
      ? { defaultOutbound: channel.defaultOutbound }
      : {}),
    connector: { id: connector?.id, name: connector?.name },
    provider: { id: provider?.id ?? undefined, name: provider?.name ?? undefined },
    attributes: attrs.map((a) => ({ key: a.key, type: a.type, value: a.value })),
    ...(routing
      ? {
          routing: {
            ...(routing.routingPolicy?.routingMode
              ? { mode: routing.routingPolicy.routingMode }
              : {}),
            ...(routing.routingPolicy?.routingObjectId
              ? { queue: routing.routingPolicy.routingObjectId }
              : {}),
            ...(typeof routing.customerActivityTimeout === 'number'
              ? { customerActivityTimeout: routing.customerActivityTimeout }
              : {}),
          },
        }
      : {}),
  }
}
