/**
 * The test kit's plugin context with what the Twilio tests also look at: counters, a file
 * engine setting and signed webhook calls.
 */
import type { ConnectorInstance, Counter, PluginContext } from '@plugboard/sdk'
import {
  createTestContext,
  signTwilioRequest,
  type TestContext,
  type TestContextOptions,
} from '@plugboard/testkit'
import { TwilioConfig } from '../src/config.js'
import plugin from '../src/index.js'

export const ACCOUNT_SID = 'ACf54d2c3e1b0a99887766554433221100'
export const AUTH_TOKEN = 'test-auth-token-0123456789abcdef'
export const PUBLIC_BASE = 'https://plugboard.test/webhooks/tw'

export interface TwilioTestContext {
  ctx: TestContext<TwilioConfig>
  connector: ConnectorInstance
  /** Counter increments by name, summed over labels. */
  counters: Map<string, number>
  /** POSTs form parameters to a route, signed for `signedUrl` (default: the public URL). */
  post(
    path: string,
    params: Record<string, string> | string,
    options?: { signature?: string | null; signedUrl?: string; token?: string; query?: string },
  ): Promise<Response>
}

export async function setUpTwilio(
  config: Partial<Record<keyof TwilioConfig, unknown>> = {},
  options: TestContextOptions & { env?: PluginContext<TwilioConfig>['env'] } = {},
): Promise<TwilioTestContext> {
  const parsed = TwilioConfig.parse({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, ...config })
  const ctx = createTestContext(parsed, {
    connectorId: 'tw',
    pluginId: 'twilio',
    publicUrl: 'https://plugboard.test',
    ...options,
  })
  const counters = new Map<string, number>()
  Object.assign(ctx, {
    env: options.env ?? {},
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
    connector,
    counters,
    post(path, params, postOptions = {}) {
      const form =
        typeof params === 'string' ? new URLSearchParams(params) : new URLSearchParams(params)
      const query = postOptions.query ? `?${postOptions.query}` : ''
      const signedUrl = postOptions.signedUrl ?? `${PUBLIC_BASE}${path}${query}`
      const signature =
        postOptions.signature === undefined
          ? signTwilioRequest(postOptions.token ?? AUTH_TOKEN, signedUrl, Object.fromEntries(form))
          : postOptions.signature
      const headers: Record<string, string> = {
        'content-type': 'application/x-www-form-urlencoded',
      }
      if (signature !== null) headers['x-twilio-signature'] = signature
      return ctx.call('POST', path, {
        body: form.toString(),
        headers,
        ...(postOptions.query ? { query: postOptions.query } : {}),
      })
    },
  }
}
