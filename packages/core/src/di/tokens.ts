import type { InjectionToken } from 'tsyringe'

/**
 * Every injection token of the host in one place. tsyringe stays inside the host: plugins get a
 * plain context object and never see the container.
 */
export const TOKENS = {
  Container: Symbol.for('plugboard.Container'),
  Logger: Symbol.for('plugboard.Logger'),
  Metrics: Symbol.for('plugboard.Metrics'),
  Pipeline: Symbol.for('plugboard.Pipeline'),
  StateStore: Symbol.for('plugboard.StateStore'),
  PluginRegistry: Symbol.for('plugboard.PluginRegistry'),
  HttpClient: Symbol.for('plugboard.HttpClient'),
  Settings: Symbol.for('plugboard.Settings'),
  Channels: Symbol.for('plugboard.Channels'),
  Receipts: Symbol.for('plugboard.Receipts'),
  /** Per connector (child container). */
  ConnectorSpec: Symbol.for('plugboard.ConnectorSpec'),
  ConnectorLogger: Symbol.for('plugboard.ConnectorLogger'),
} as const satisfies Record<string, InjectionToken>

/** Host-wide values connectors need. */
export interface Settings {
  publicUrl: string | undefined
  fileEngineUrl: string | undefined
  fileEnginePublicUrl: string | undefined
}
