import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  type CimMessage,
  type ConnectorInstance,
  describeConfig,
  inboundMessage,
  isPluginDescriptor,
  isPluginError,
  PLUGIN_API_VERSION,
  type PluginDescriptor,
  redactConfig,
  secretFields,
} from '@plugboard/sdk'
import { createTestContext } from './test-context.js'

export interface ConformanceOptions {
  /** A config the plugin accepts (secrets included, so the suite can check they are never logged). */
  validConfig: Record<string, unknown>
  /** Configs the plugin must refuse. */
  invalidConfigs?: Record<string, unknown>[]
  /** Longest acceptable setup time; the host's default boot timeout is 10 s. */
  bootTimeoutMs?: number
}

/**
 * The checks every plugin must pass, registered as node:test tests. Call it from a test file of
 * the plugin:
 * @example
 * import plugin from '../src/index.js'
 * runConformance(plugin, { validConfig: { apiKey: 'k' } })
 */
export function runConformance(plugin: PluginDescriptor, options: ConformanceOptions): void {
  const secrets = () =>
    secretFields(plugin.config)
      .map((name) => options.validConfig[name])
      .filter((v): v is string => typeof v === 'string' && v.length >= 4)

  describe(`plugin conformance: ${plugin.id}`, () => {
    test('is a tagged descriptor built by definePlugin for this API version', () => {
      assert.ok(isPluginDescriptor(plugin), 'the default export must come from definePlugin()')
      assert.ok(Object.isFrozen(plugin), 'the descriptor must be frozen')
      assert.equal(plugin.apiVersion.split('.')[0], PLUGIN_API_VERSION.split('.')[0])
      // The SDK's own rule (definePlugin): ids such as '360dialog' may start with a digit.
      assert.match(plugin.id, /^[a-z0-9]+(?:-[a-z0-9]+)*$/)
      assert.ok(plugin.channelTypes.length > 0, 'declare at least one channel type')
    })

    test('config schema accepts the valid config and refuses the invalid ones', () => {
      const ok = plugin.config.safeParse(options.validConfig)
      assert.ok(ok.success, `validConfig was refused: ${ok.success ? '' : ok.error.message}`)
      for (const bad of options.invalidConfigs ?? []) {
        assert.equal(
          plugin.config.safeParse(bad).success,
          false,
          `config should be refused: ${JSON.stringify(redactConfig(plugin.config, bad))}`,
        )
      }
    })

    test('every config field is described, and secrets are redacted', () => {
      const fields = describeConfig(plugin.config)
      assert.ok(
        fields.length > 0 || Object.keys(options.validConfig).length === 0,
        'the config schema must be an object',
      )
      const redacted = JSON.stringify(redactConfig(plugin.config, options.validConfig))
      for (const secret of secrets())
        assert.ok(!redacted.includes(secret), 'redactConfig must hide secret fields')
    })

    test('setup registers the documented webhooks and returns a connector in time', async () => {
      const { instance, ctx } = await boot(plugin, options)
      const routes = ctx.routes()
      for (const hook of plugin.webhooks ?? []) {
        assert.ok(
          routes.includes(`${hook.method} ${hook.path}`),
          `documented webhook ${hook.method} ${hook.path} is not registered (registered: ${routes.join(', ')})`,
        )
      }
      assert.equal(typeof instance.send, 'function')
      await instance.stop?.()
    })

    test('webhooks answer garbage with a 4xx JSON error, never a 5xx', async () => {
      const { instance, ctx } = await boot(plugin, options)
      for (const route of ctx.routes()) {
        const [method, path] = route.split(' ') as [string, string]
        if (method === 'GET') continue
        const res = await ctx.call(method, path, {
          body: '\u0000not json&=',
          headers: { 'content-type': 'application/json' },
        })
        assert.ok(
          res.status >= 400 && res.status < 500,
          `${route} answered ${res.status} to a malformed request`,
        )
        const body = (await res.json().catch(() => undefined)) as
          | { error?: { code?: string } }
          | undefined
        assert.ok(body?.error?.code, `${route} must answer {"error":{"code","message"}}`)
      }
      assert.equal(
        ctx.inboundMessages.length,
        0,
        'nothing may be accepted from a malformed request',
      )
      await instance.stop?.()
    })

    test('a message type it cannot carry is ignored or refused as terminal, never a crash', async () => {
      const { instance } = await boot(plugin, options)
      const message = unknownTypeMessage()
      try {
        const result = await instance.send(message, { attempt: 1, idempotencyKey: message.id })
        assert.ok(result.ignored, 'an unknown body type must come back as { ignored: reason }')
      } catch (error) {
        assert.ok(
          isPluginError(error) && error.kind === 'terminal',
          `send threw ${String(error)}; throw PluginError.terminal or return { ignored }`,
        )
      } finally {
        await instance.stop?.()
      }
    })

    test('secrets never appear in its logs', async () => {
      const { instance, ctx } = await boot(plugin, options)
      for (const route of ctx.routes()) {
        const [method, path] = route.split(' ') as [string, string]
        await ctx
          .call(method, path, { body: '{}', headers: { 'content-type': 'application/json' } })
          .catch(() => undefined)
      }
      await instance
        .send(unknownTypeMessage(), { attempt: 1, idempotencyKey: 'k' })
        .catch(() => undefined)
      await instance.stop?.()
      const text = JSON.stringify(ctx.logs)
      for (const secret of secrets())
        assert.ok(!text.includes(secret), 'a secret config value was logged')
    })
  })
}

async function boot(
  plugin: PluginDescriptor,
  options: ConformanceOptions,
): Promise<{ instance: ConnectorInstance; ctx: ReturnType<typeof createTestContext> }> {
  const config = plugin.config.parse(options.validConfig)
  const ctx = createTestContext(config, { pluginId: plugin.id })
  let timer: NodeJS.Timeout | undefined
  const instance = await Promise.race([
    Promise.resolve(plugin.setup(ctx)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(new Error(`setup did not finish within ${options.bootTimeoutMs ?? 10_000} ms`)),
        options.bootTimeoutMs ?? 10_000,
      )
    }),
  ]).finally(() => clearTimeout(timer))
  return { instance, ctx }
}

function unknownTypeMessage(): CimMessage {
  const message = inboundMessage({
    serviceIdentifier: 'conformance',
    customerId: 'customer-1',
    body: { type: 'PLAIN', markdownText: 'x' },
  })
  return {
    ...message,
    header: { ...message.header, sender: { id: 'agent', type: 'AGENT' } },
    body: { type: 'X_UNKNOWN_TYPE', markdownText: 'x' },
  }
}
