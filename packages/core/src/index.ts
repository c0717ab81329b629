/**
 * @module @plugboard/core
 * The runtime behind the host: plugin loading, connectors, the delivery pipeline, config.
 */

export { parseSkillGroups } from './config/env.js'
export {
  type ConfigProblem,
  checkPlugins,
  formatProblems,
  type LoadedConfig,
  loadConfig,
} from './config/load.js'
export {
  type ChannelConfig,
  ChannelSchema,
  type ConnectorConfig,
  ConnectorSchema,
  type HostConfig,
  HostConfigSchema,
  PRIVATE_NETWORKS,
} from './config/schema.js'
export { watchFile } from './config/watch.js'
export { type Channel, ChannelTable } from './connectors/channels.js'
export {
  type ApplyReport,
  ConnectorManager,
  type ConnectorState,
  type ConnectorStatus,
} from './connectors/manager.js'
export { ConnectorRuntime, type RunningConnector } from './connectors/runtime.js'
export { type Center, createDispatcher } from './delivery/dispatcher.js'
export {
  createInactivityMonitor,
  endOfChat,
  type InactivityMonitor,
  type InactivityOptions,
} from './delivery/inactivity.js'
export { createReceipts, type Receipts, type StatusChange } from './delivery/receipts.js'
export { createSkillGroups, QUEUE_ATTRIBUTE } from './delivery/skill-groups.js'
export { advance, toCimStatus } from './delivery/status.js'
export { type Settings, TOKENS } from './di/tokens.js'
export { describeError, HostError, type HostErrorCode, isHostError } from './errors.js'
export { createHttpClient, type HttpClientOptions } from './http/client.js'
export { createRotatingFile, parseSize, type RotatingFileOptions } from './log-file.js'
export { createLogger, type LoggerOptions } from './logger.js'
export { createMetrics, type Metrics } from './metrics.js'
export {
  createEmbeddedPipeline,
  type EmbeddedPipelineOptions,
  listDeadLetters,
  replayDeadLetters,
} from './pipeline/embedded.js'
export { classify, DEFAULT_RETRY, decide, type RetryPolicy } from './pipeline/retry.js'
export { Scheduler } from './pipeline/scheduler.js'
export type * from './pipeline/types.js'
export {
  discoverDependencies,
  discoverInDirectories,
  PLUGIN_KEYWORD,
  type PluginPackage,
} from './plugins/discover.js'
export { type LoadedPlugin, loadPlugins, type PluginRegistry } from './plugins/registry.js'
export { openSqlite, type SqliteDb } from './store/sqlite.js'
export { createSqliteStateStore } from './store/sqlite-state-store.js'
export type { StateStore } from './store/state-store.js'
export { createWriter, type Writer } from './store/writer.js'
