import 'reflect-metadata'
import type { ConnectorInstance, HttpClient, Logger } from '@plugboard/sdk'
import { inject, injectable } from 'tsyringe'
import type { ConnectorConfig } from '../config/schema.js'
import type { Receipts } from '../delivery/receipts.js'
import { type Settings, TOKENS } from '../di/tokens.js'
import { HostError } from '../errors.js'
import type { Metrics } from '../metrics.js'
import type { Pipeline } from '../pipeline/types.js'
import type { PluginRegistry } from '../plugins/registry.js'
import type { StateStore } from '../store/state-store.js'
import type { ChannelTable } from './channels.js'
import { createPluginContext } from './context.js'
import { type ConnectorRouter, createConnectorRouter } from './webhook-router.js'

/** One started connector instance; a reload replaces it with a new one. */
export interface RunningConnector {
  id: string
  pluginId: string
  instance: ConnectorInstance
  router: ConnectorRouter
  /** Sends and webhook requests being handled right now. */
  readonly inflight: number
  /** Runs `fn` counted as in-flight work of this instance. */
  track<T>(fn: () => Promise<T>): Promise<T>
  /** Resolves when nothing is in flight. */
  idle(): Promise<void>
  /** Aborts the context signal and calls the plugin's stop(). */
  stop(): Promise<void>
}

/** Starts one connector from its config, in the connector's own child container. */
@injectable()
export class ConnectorRuntime {
  constructor(
    @inject(TOKENS.ConnectorSpec) private readonly spec: ConnectorConfig,
    @inject(TOKENS.ConnectorLogger) private readonly log: Logger,
    @inject(TOKENS.PluginRegistry) private readonly registry: PluginRegistry,
    @inject(TOKENS.Pipeline) private readonly pipeline: Pipeline,
    @inject(TOKENS.StateStore) private readonly state: StateStore,
    @inject(TOKENS.Receipts) private readonly receipts: Receipts,
    @inject(TOKENS.HttpClient) private readonly request: HttpClient,
    @inject(TOKENS.Metrics) private readonly metrics: Metrics,
    @inject(TOKENS.Channels) private readonly channels: ChannelTable,
    @inject(TOKENS.Settings) private readonly settings: Settings,
  ) {}

  /** Validates the plugin config without starting anything. */
  validate(): unknown {
    const plugin = this.registry.get(this.spec.plugin)
    if (!plugin)
      throw (
        this.registry.problem(this.spec.plugin) ??
        new HostError('PLUGIN_NOT_FOUND', this.spec.plugin)
      )
    const parsed = plugin.descriptor.config.safeParse(this.spec.config)
    if (!parsed.success) {
      const problems = parsed.error.issues
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ')
      throw new HostError(
        'CONFIG_INVALID',
        `connector ${this.spec.id}: plugin config is invalid: ${problems}`,
      )
    }
    return parsed.data
  }

  async start(): Promise<RunningConnector> {
    const config = this.validate()
    const plugin = this.registry.get(this.spec.plugin)!
    const abort = new AbortController()
    const router = createConnectorRouter({
      connectorId: this.spec.id,
      publicUrl: this.settings.publicUrl,
      onError: (error, path) => this.log.error({ err: error, path }, 'webhook handler failed'),
    })
    const ctx = createPluginContext({
      connectorId: this.spec.id,
      pluginId: plugin.descriptor.id,
      config,
      log: this.log,
      router,
      pipeline: this.pipeline,
      state: this.state,
      receipts: this.receipts,
      request: this.request,
      metrics: this.metrics,
      channels: this.channels,
      settings: this.settings,
      signal: abort.signal,
    })
    const instance = await withTimeout(
      Promise.resolve().then(() => plugin.descriptor.setup(ctx)),
      this.spec.bootTimeoutMs,
      () => {
        abort.abort()
        return new HostError(
          'CONNECTOR_BOOT_TIMEOUT',
          `connector ${this.spec.id} (plugin ${plugin.descriptor.id}) did not finish setup within ${this.spec.bootTimeoutMs} ms`,
        )
      },
    ).catch((cause: unknown) => {
      abort.abort()
      if (cause instanceof HostError) throw cause
      throw new HostError(
        'CONNECTOR_BOOT_FAILED',
        `connector ${this.spec.id} failed to start: ${(cause as Error)?.message ?? cause}`,
        { cause },
      )
    })
    return trackInstance(this.spec.id, plugin.descriptor.id, instance, router, abort, this.log)
  }
}

function trackInstance(
  id: string,
  pluginId: string,
  instance: ConnectorInstance,
  router: ConnectorRouter,
  abort: AbortController,
  log: Logger,
): RunningConnector {
  let inflight = 0
  let waiters: (() => void)[] = []
  const done = () => {
    inflight--
    if (inflight === 0 && waiters.length) {
      const w = waiters
      waiters = []
      for (const fn of w) fn()
    }
  }
  const track = async <T>(fn: () => Promise<T>): Promise<T> => {
    inflight++
    try {
      return await fn()
    } finally {
      done()
    }
  }
  return {
    id,
    pluginId,
    instance,
    router: { router: router.router, fetch: (req) => track(() => router.fetch(req)) },
    get inflight() {
      return inflight
    },
    track,
    idle: () =>
      inflight === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve)),
    async stop() {
      abort.abort()
      try {
        await instance.stop?.()
      } catch (error) {
        log.warn({ err: error }, 'connector stop() failed')
      }
    },
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}
