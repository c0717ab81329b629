export {
  createUnifiedAdminClient,
  type UnifiedAdminClient,
  type UnifiedAdminClientOptions,
  UnifiedAdminError,
  type UnifiedAdminErrorCode,
} from './client.js'
export {
  type Push,
  PushSchema,
  type UnifiedAdminChannel,
  type UnifiedAdminSnapshot,
} from './model.js'
export {
  type ChannelRef,
  type ResolvedConfig,
  type ResolvedConnector,
  type ResolveOptions,
  resolveSnapshot,
} from './resolve.js'
export {
  type ChangeCause,
  createUnifiedAdminSource,
  type PushResult,
  type SnapshotCache,
  type SyncReport,
  type UnifiedAdminSource,
  type UnifiedAdminSourceOptions,
} from './source.js'
