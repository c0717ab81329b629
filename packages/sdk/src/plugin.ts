import type { z } from 'zod'
import type { ConnectorInstance, PluginContext } from './context.js'
import { PLUGIN_API_VERSION } from './version.js'

export const PLUGIN_TYPE = '@plugboard/plugin' as const

/** Documentation of one webhook route, printed by `plugboard plugins`. */
export interface WebhookDoc {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  path: string
  description: string
}

export interface PluginDefinition<S extends z.ZodType> {
  /** Lower-case id used in config (`plugin: twilio`): letters, digits and dashes. */
  id: string
  displayName?: string
  description?: string
  /** CCM channel types served, e.g. `['SMS', 'WHATSAPP']`. */
  channelTypes: readonly string[]
  /** zod schema of the connector config; mark secrets with `secret()`. */
  config: S
  webhooks?: readonly WebhookDoc[]
  /** Builds one connector. Register webhook routes on `ctx.http` here. */
  setup(ctx: PluginContext<z.output<S>>): ConnectorInstance | Promise<ConnectorInstance>
}

export interface PluginDescriptor<S extends z.ZodType = z.ZodType> extends PluginDefinition<S> {
  readonly $$type: typeof PLUGIN_TYPE
  readonly apiVersion: string
}

const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/

/**
 * Declares a plugin. The result is a frozen, tagged descriptor: the package's default export.
 * @example
 * export default definePlugin({
 *   id: 'echo', channelTypes: ['GENERIC'], config: z.object({}),
 *   setup(ctx) { return { async send(msg) { ctx.log.info({ id: msg.id }, 'sent'); return {} } } },
 * })
 */
export function definePlugin<S extends z.ZodType>(
  definition: PluginDefinition<S>,
): PluginDescriptor<S> {
  if (!ID_PATTERN.test(definition.id)) {
    throw new TypeError(
      `plugin id '${definition.id}' is invalid: use lower-case letters, digits and single dashes, e.g. 'twilio' or 'generic-http'`,
    )
  }
  if (typeof definition.setup !== 'function') {
    throw new TypeError(`plugin '${definition.id}' has no setup(ctx) function`)
  }
  return Object.freeze({
    ...definition,
    channelTypes: Object.freeze([...definition.channelTypes]),
    webhooks: Object.freeze([...(definition.webhooks ?? [])]),
    $$type: PLUGIN_TYPE,
    apiVersion: PLUGIN_API_VERSION,
  })
}

/** True for a value built by `definePlugin`, also from another copy of the SDK. */
export function isPluginDescriptor(value: unknown): value is PluginDescriptor {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { $$type?: unknown }).$$type === PLUGIN_TYPE &&
    typeof (value as { setup?: unknown }).setup === 'function'
  )
}
