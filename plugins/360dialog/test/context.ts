/**
 * The test kit's plugin context with what the 360dialog tests also look at: counters, a file
 * engine setting, channels, and webhook calls carrying the token or the partner signature.
 */
import type { ChannelInfo, ConnectorInstance, Counter, PluginContext } from '@plugboard/sdk'
import {
  createTestContext,
  signDialog360Webhook,
  type TestContext,
  type TestContextOptions,
} from '@plugboard/testkit'
import { Dialog360Config } from '../src/config.js'
import plugin from '../src/index.js'
import { webhookToken } from '../src/signature.js'

export const API_KEY = 'test-api-key-0123456789abcdefABCD'
export const WEBHOOK_TOKEN = 'test-webhook-token-0123456789'
export const PARTNER_SECRET = 'test-partner-platform-secret'
export const BUSINESS_NUMBER = '15550783881'

export interface Dialog360TestContext {
  ctx: TestContext<Dialog360Config>
  config: Dialog360Config
  connector: ConnectorInstance
  /** Counter increments by name, summed over labels. */
  counters: Map<string, number>
  /** POSTs a JSON body to a route with the token header (or the partner signature). */
  post(
    path: string,
    body: unknown,
    options?: {
      token?: string | null
      signature?: string | null
      headers?: Record<string, string>
    },
  ): Promise<Response>
}

export async function setUp360(
  config: Partial<Record<keyof Dialog360Config, unknown>> = {},
  options: TestContextOptions & {
    env?: PluginContext<Dialog360Config>['env']
    channels?: ChannelInfo[]
  } = {},
): Promise<Dialog360TestContext> {
  const parsed = Dialog360Config.parse({ apiKey: API_KEY, webhookToken: WEBHOOK_TOKEN, ...config })
  const ctx = createTestContext(parsed, {
    connectorId: 'd360',
    pluginId: '360dialog',
    publicUrl: 'https://plugboard.test',
    ...options,
  })
  const counters = new Map<string, number>()
  Object.assign(ctx, {
    env: options.env ?? {},
    channels: () => options.channels ?? [],
    metrics: {
      counter(name: string): Counter {
        return {
          inc(_labels, value = 1) {
            counters.set(name, (counters.get(name) ?? 0) + value)
          },
        }
      },
    },
  })
  const connector = await plugin.setup(ctx)
  return {
    ctx,
    config: parsed,
    connector,
    counters,
    post(path, body, postOptions = {}) {
      const raw = typeof body === 'string' ? body : JSON.stringify(body)
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        ...postOptions.headers,
      }
      if (parsed.partnerSecret) {
        const signature =
          postOptions.signature === undefined
            ? signDialog360Webhook(parsed.partnerSecret, raw)
            : postOptions.signature
        if (signature !== null) headers['x-360dialog-signature'] = signature
      } else {
        const token = postOptions.token === undefined ? webhookToken(parsed) : postOptions.token
        if (token !== null) headers[parsed.webhookTokenHeader.toLowerCase()] = token
      }
      return ctx.call('POST', path, { body: raw, headers })
    },
  }
}
