import {
  type CimMessage,
  type Counter,
  type HttpClient,
  type InboundOptions,
  type KeyValueStore,
  type Logger,
  type PluginContext,
  parseCimMessage,
} from '@plugboard/sdk'
import { Counter as PromCounter } from 'prom-client'
import type { Receipts } from '../delivery/receipts.js'
import { submissionOf } from '../delivery/routing.js'
import type { Settings } from '../di/tokens.js'
import { HostError } from '../errors.js'
import type { Metrics } from '../metrics.js'
import type { Pipeline } from '../pipeline/types.js'
import type { StateStore } from '../store/state-store.js'
import type { ChannelTable } from './channels.js'
import type { ConnectorRouter } from './webhook-router.js'

export interface ContextDeps {
  connectorId: string
  pluginId: string
  config: unknown
  log: Logger
  router: ConnectorRouter
  pipeline: Pipeline
  state: StateStore
  receipts: Receipts
  request: HttpClient
  metrics: Metrics
  channels: ChannelTable
  settings: Settings
  signal: AbortSignal
}

/** Builds the plugin's whole world for one connector. */
export function createPluginContext(deps: ContextDeps): PluginContext<unknown> {
  const { connectorId } = deps
  const store: KeyValueStore = {
    get: (key) => deps.state.get(`connector:${connectorId}`, key),
    set: (key, value, options) =>
      deps.state.set(`connector:${connectorId}`, key, value, options?.ttlMs),
    delete: (key) => deps.state.delete(`connector:${connectorId}`, key),
  }
  const counters = new Map<string, PromCounter<string>>()
  const base = (deps.settings.publicUrl ?? `http://localhost`).replace(/\/+$/, '')

  return {
    connectorId,
    pluginId: deps.pluginId,
    config: deps.config as Readonly<unknown>,
    log: deps.log,
    http: deps.router.router,
    publicUrl: (path = '') =>
      `${base}/webhooks/${connectorId}${path && !path.startsWith('/') ? '/' : ''}${path}`,
    async inbound(message: CimMessage, options: InboundOptions = {}) {
      const parsed = parseCimMessage(message)
      if (!parsed.ok) {
        throw new HostError(
          'MESSAGE_INVALID',
          `connector ${connectorId} produced an invalid CIM message: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
        )
      }
      // A connector serving a routed channel answers its customers through the channel's own connector.
      const route = submissionOf(deps.channels, connectorId, parsed.message)
      const result = await deps.pipeline.submit({
        ...route,
        message: parsed.message,
        ...(options.providerMessageId
          ? { dedupeKey: `${connectorId}\u0000${options.providerMessageId}` }
          : {}),
      })
      deps.metrics.messages.inc({
        connector: route.connectorId,
        direction: route.direction,
        outcome: result.status,
      })
      return result
    },
    receipt: (update) => deps.receipts.apply(connectorId, update),
    store,
    request: deps.request,
    metrics: {
      counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
        const metricName = `plugboard_plugin_${deps.pluginId.replace(/-/g, '_')}_${name}_total`
        let counter =
          counters.get(metricName) ??
          (deps.metrics.registry.getSingleMetric(metricName) as PromCounter<string> | undefined)
        if (!counter) {
          counter = new PromCounter({
            name: metricName,
            help,
            labelNames: ['connector', ...labelNames],
            registers: [deps.metrics.registry],
          })
        }
        counters.set(metricName, counter)
        const c = counter
        return {
          inc: (labels = {}, value = 1) => c.inc({ ...labels, connector: connectorId }, value),
        }
      },
    },
    channels: () => {
      const routed = deps.channels.routedTo(connectorId)
      const own = deps.channels.forConnector(connectorId)
      return routed.length === 0 ? own : [...own, ...routed]
    },
    signal: deps.signal,
    env: {
      ...(deps.settings.fileEngineUrl ? { fileEngineUrl: deps.settings.fileEngineUrl } : {}),
      ...(deps.settings.fileEnginePublicUrl
        ? { fileEnginePublicUrl: deps.settings.fileEnginePublicUrl }
        : {}),
    },
  }
}
