/**
 * The test kit's plugin context with what the Messenger tests also look at: counters, a file
 * engine setting, and signed webhook calls.
 */
import type { ConnectorInstance, Counter, PluginContext } from '@plugboard/sdk'
import {
  createTestContext,
  signGraphWebhook,
  type TestContext,
  type TestContextOptions,
} from '@plugboard/testkit'
import { FacebookConfig } from '../src/config.js'
import plugin from '../src/index.js'

export const APP_SECRET = 'test-app-secret-0123456789abcdef'
export const VERIFY_TOKEN = 'test-verify-token-4711'
export const PAGE_TOKEN = 'EAAtestpagetoken0123456789abcdefghij'
export const PAGE_ID = '104215682435187'

export interface FacebookTestContext {
  ctx: TestContext<FacebookConfig>
  connector: ConnectorInstance
  /** Counter increments as `name` and `name{label=value,…}`, summed. */
  counters: Map<string, number>
  /** POSTs a body to `/webhook`, signed with the app secret unless told otherwise. */
  post(
    body: string | object,
    options?: { signature?: string | null; secret?: string },
  ): Promise<Response>
  /** The verification GET with these query parameters. */
  verify(query: Record<string, string>): Promise<Response>
}

export async function setUpFacebook(
  config: Partial<Record<keyof FacebookConfig, unknown>> = {},
  options: TestContextOptions & { env?: PluginContext<FacebookConfig>['env'] } = {},
): Promise<FacebookTestContext> {
  const parsed = FacebookConfig.parse({
    appSecret: APP_SECRET,
    verifyToken: VERIFY_TOKEN,
    pageAccessToken: PAGE_TOKEN,
    ...config,
  })
  const ctx = createTestContext(parsed, {
    connectorId: 'fb',
    pluginId: 'facebook',
    publicUrl: 'https://plugboard.test',
    ...options,
  })
  const counters = new Map<string, number>()
  Object.assign(ctx, {
    env: options.env ?? {},
    metrics: {
      counter(name: string): Counter {
        return {
          inc(labels = {}, value = 1) {
            const labelled = `${name}{${Object.entries(labels)
              .map(([k, v]) => `${k}=${v}`)
              .join(',')}}`
            for (const key of [name, labelled]) counters.set(key, (counters.get(key) ?? 0) + value)
          },
        }
      },
    },
  })
  const connector = await plugin.setup(ctx)
  return {
    ctx,
    connector,
    counters,
    post(body, postOptions = {}) {
      const text = typeof body === 'string' ? body : JSON.stringify(body)
      const signature =
        postOptions.signature === undefined
          ? signGraphWebhook(postOptions.secret ?? APP_SECRET, text)
          : postOptions.signature
      const headers: Record<string, string> = { 'content-type': 'application/json' }
      if (signature !== null) headers['x-hub-signature-256'] = signature
      return ctx.call('POST', '/webhook', { body: text, headers })
    },
    verify(query) {
      return ctx.call('GET', '/webhook', { query: new URLSearchParams(query).toString() })
    },
  }
}
