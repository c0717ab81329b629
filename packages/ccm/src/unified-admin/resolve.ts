import { attributesToConfig, describeConfig, type PluginDescriptor } from '@plugboard/sdk'
import type { UnifiedAdminChannel, UnifiedAdminSnapshot } from './model.js'

export interface ChannelRef {
  serviceIdentifier: string
  connector?: string
  plugin?: string
}

export interface ResolveOptions {
  refs: readonly ChannelRef[]
  plugins: readonly PluginDescriptor[]
  /** Channel provider name or id → plugin id. */
  providers?: Readonly<Record<string, string>>
}

export interface ResolvedConnector {
  id: string
  plugin: string
  /** Plugin config built from the attributes; the plugin's schema validates it later. */
  config: Record<string, unknown>
  /** Attribute keys the plugin has no field for. */
  unknownKeys: string[]
  /** Unified Admin's connector, for the admin API. */
  source: { connectorId?: string; connectorName?: string; provider?: string }
}

export interface ResolvedConfig {
  connectors: ResolvedConnector[]
  channels: { serviceIdentifier: string; connector: string; channelType?: string }[]
  problems: { serviceIdentifier: string; message: string }[]
}

const CONNECTOR_ID = /^[A-Za-z0-9][A-Za-z0-9_-]*$/

/** Turns what Unified Admin says into connectors and channels the host can run. */
export function resolveSnapshot(
  snapshot: UnifiedAdminSnapshot,
  options: ResolveOptions,
): ResolvedConfig {
  const out: ResolvedConfig = { connectors: [], channels: [], problems: [] }
  const byId = new Map<string, ResolvedConnector>()
  for (const ref of options.refs) {
    const channel = snapshot.channels[ref.serviceIdentifier]
    if (!channel) continue
    const plugin = pickPlugin(channel, ref, options)
    if (typeof plugin === 'string') {
      out.problems.push({ serviceIdentifier: ref.serviceIdentifier, message: plugin })
      continue
    }
    const id = ref.connector ?? connectorIdOf(channel)
    const existing = byId.get(id)
    if (existing) {
      if (existing.source.connectorId !== channel.connector.id || existing.plugin !== plugin.id) {
        out.problems.push({
          serviceIdentifier: ref.serviceIdentifier,
          message: `connector id '${id}' is already used by another Unified Admin connector; give this channel its own 'connector' in unifiedAdmin.channels`,
        })
        continue
      }
    } else {
      const { config, unknownKeys } = attributesToConfig(plugin.config, channel.attributes)
      const connector: ResolvedConnector = {
        id,
        plugin: plugin.id,
        config,
        unknownKeys,
        source: {
          ...(channel.connector.id ? { connectorId: channel.connector.id } : {}),
          ...(channel.connector.name ? { connectorName: channel.connector.name } : {}),
          ...(channel.provider.name ? { provider: channel.provider.name } : {}),
        },
      }
      byId.set(id, connector)
      out.connectors.push(connector)
    }
    out.channels.push({
      serviceIdentifier: channel.serviceIdentifier,
      connector: id,
      ...(channel.channelType ? { channelType: channel.channelType } : {}),
    })
  }
  return out
}

function connectorIdOf(channel: UnifiedAdminChannel): string {
  const raw = channel.connector.id ?? channel.connector.name ?? channel.serviceIdentifier
  if (CONNECTOR_ID.test(raw)) return raw
  const slug = raw
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^[-_]+|-+$/g, '')
    .slice(0, 64)
  return slug || 'unified-admin'
}

const normalise = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '')

function pickPlugin(
  channel: UnifiedAdminChannel,
  ref: ChannelRef,
  options: ResolveOptions,
): PluginDescriptor | string {
  const plugins = options.plugins
  const find = (id: string) => plugins.find((p) => p.id === id)
  const named =
    ref.plugin ??
    (channel.provider.name ? options.providers?.[channel.provider.name] : undefined) ??
    (channel.provider.id ? options.providers?.[channel.provider.id] : undefined)
  if (named) {
    return (
      find(named) ??
      `plugin '${named}' (named for channel ${channel.serviceIdentifier}) is not installed; known: ${plugins.map((p) => p.id).join(', ')}`
    )
  }
  // "Twilio Connector" → twilio; the longest id wins so "360dialog" beats a shorter match.
  const providerName = normalise(channel.provider.name ?? '')
  const byName = plugins
    .filter((p) => providerName !== '' && providerName.includes(normalise(p.id)))
    .sort((a, b) => b.id.length - a.id.length)[0]
  if (byName) return byName
  // Else the plugin whose Unified Admin keys the connector's attributes use the most.
  const keys = new Set(channel.attributes.map((a) => a.key))
  const scored = plugins
    .map((p) => ({
      plugin: p,
      score: describeConfig(p.config).filter((f) => f.key && keys.has(f.key)).length,
    }))
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score)
  if (scored[0] && scored[0].score !== scored[1]?.score) return scored[0].plugin
  return `cannot tell which plugin runs channel ${channel.serviceIdentifier} (provider '${channel.provider.name ?? channel.provider.id ?? 'unknown'}'); map it in unifiedAdmin.providers, e.g. {'${channel.provider.name ?? 'Provider name'}': '<plugin id>'}`
}
