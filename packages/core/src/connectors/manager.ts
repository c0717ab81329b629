import 'reflect-metadata'
import { createHash } from 'node:crypto'
import type { CimMessage, Logger, SendInfo, SendResult } from '@plugboard/sdk'
import { errorResponse, isPluginError } from '@plugboard/sdk'
import { type DependencyContainer, inject, injectable } from 'tsyringe'
import type { ConnectorConfig } from '../config/schema.js'
import { TOKENS } from '../di/tokens.js'
import { describeError, HostError } from '../errors.js'
import type { Metrics } from '../metrics.js'
import type { Pipeline } from '../pipeline/types.js'
import { ConnectorRuntime, type RunningConnector } from './runtime.js'

export type ConnectorState = 'starting' | 'running' | 'degraded' | 'failed' | 'stopping' | 'stopped'

export interface ConnectorStatus {
  id: string
  plugin: string
  state: ConnectorState
  /** Hash of the config the running instance uses. */
  configVersion: string | undefined
  lastError: string | undefined
  lastErrorAt: string | undefined
  startedAt: string | undefined
  inflight: number
}

export interface ApplyReport {
  started: string[]
  replaced: string[]
  stopped: string[]
  unchanged: string[]
  /** Connectors whose new config could not be applied (the old instance, if any, keeps running). */
  failed: { id: string; error: string }[]
}

interface Slot {
  spec: ConnectorConfig
  version: string
  current: RunningConnector | undefined
  runningVersion: string | undefined
  state: ConnectorState
  lastError: string | undefined
  lastErrorAt: Date | undefined
  startedAt: Date | undefined
  bootFailures: number
  retryTimer: NodeJS.Timeout | undefined
  /** Serialises start/swap/stop of one connector. */
  chain: Promise<unknown>
}

/**
 * Reconciles running connectors with the desired config. A changed connector is replaced by
 * drain-and-swap: the new instance starts first, traffic moves to it, the old one finishes its
 * in-flight work and stops. Unchanged connectors are not touched; a bad config never replaces a
 * working instance.
 */
@injectable()
export class ConnectorManager {
  readonly #slots = new Map<string, Slot>()
  #closed = false
  drainTimeoutMs = 15_000

  constructor(
    @inject(TOKENS.Container) private readonly container: DependencyContainer,
    @inject(TOKENS.Logger) private readonly log: Logger,
    @inject(TOKENS.Pipeline) private readonly pipeline: Pipeline,
    @inject(TOKENS.Metrics) private readonly metrics: Metrics,
  ) {}

  /** Brings the running connectors in line with `specs`. */
  async apply(specs: readonly ConnectorConfig[]): Promise<ApplyReport> {
    const report = emptyReport()
    const wanted = new Set(specs.map((s) => s.id))
    const work: Promise<void>[] = []
    for (const spec of specs) {
      const version = versionOf(spec)
      const slot = this.#slots.get(spec.id)
      if (slot && slot.version === version) {
        report.unchanged.push(spec.id)
        continue
      }
      if (!slot) {
        const fresh = this.#newSlot(spec, version)
        this.#slots.set(spec.id, fresh)
        work.push(this.#serial(fresh, () => this.#boot(fresh, report, 'started')))
      } else {
        slot.spec = spec
        slot.version = version
        work.push(this.#serial(slot, () => this.#boot(slot, report, 'replaced')))
      }
    }
    for (const [id, slot] of this.#slots) {
      if (wanted.has(id)) continue
      work.push(
        this.#serial(slot, async () => {
          await this.#retire(slot)
          this.#slots.delete(id)
          report.stopped.push(id)
        }),
      )
    }
    await Promise.all(work)
    return report
  }

  /** Sends through the connector's current instance, counted as its in-flight work. */
  async send(connectorId: string, message: CimMessage, info: SendInfo): Promise<SendResult> {
    const slot = this.#slots.get(connectorId)
    const current = slot?.current
    if (!slot || !current) {
      throw new HostError('CONNECTOR_UNAVAILABLE', `connector ${connectorId} is not running`)
    }
    try {
      const result = await current.track(() => current.instance.send(message, info))
      if (slot.state === 'degraded' && slot.current === current) this.#setState(slot, 'running')
      return result
    } catch (error) {
      if (isPluginError(error) && error.kind === 'auth' && slot.current === current) {
        this.#setState(slot, 'degraded')
        this.#fail(slot, `provider refused the credentials: ${describeError(error)}`)
      }
      throw error
    }
  }

  /** Routes a webhook request to the connector's current instance. */
  async webhook(connectorId: string, request: Request): Promise<Response> {
    const slot = this.#slots.get(connectorId)
    if (!slot)
      return errorResponse(
        404,
        'CONNECTOR_NOT_FOUND',
        `no connector '${connectorId}' is configured`,
      )
    if (!slot.current) {
      return errorResponse(
        503,
        'CONNECTOR_UNAVAILABLE',
        `connector '${connectorId}' is ${slot.state}; retry later`,
      )
    }
    return slot.current.router.fetch(request)
  }

  has(connectorId: string): boolean {
    return this.#slots.has(connectorId)
  }

  status(): ConnectorStatus[] {
    return [...this.#slots.entries()].map(([id, slot]) => {
      const health = slot.current?.instance.health?.()
      const state =
        slot.state === 'running' && health && health.state !== 'up' ? 'degraded' : slot.state
      return {
        id,
        plugin: slot.spec.plugin,
        state,
        configVersion: slot.runningVersion,
        lastError: slot.lastError ?? health?.detail,
        lastErrorAt: slot.lastErrorAt?.toISOString(),
        startedAt: slot.startedAt?.toISOString(),
        inflight: slot.current?.inflight ?? 0,
      }
    })
  }

  /** Restarts a connector with its current config (admin action). */
  async restart(connectorId: string): Promise<ApplyReport> {
    const slot = this.#slots.get(connectorId)
    if (!slot)
      throw new HostError('CONNECTOR_UNAVAILABLE', `no connector '${connectorId}' is configured`)
    const report = emptyReport()
    await this.#serial(slot, () => this.#boot(slot, report, 'replaced'))
    return report
  }

  /** Stops every connector, newest first. */
  async stopAll(): Promise<void> {
    this.#closed = true
    const slots = [...this.#slots.values()].reverse()
    for (const slot of slots) await this.#serial(slot, () => this.#retire(slot))
  }

  #newSlot(spec: ConnectorConfig, version: string): Slot {
    return {
      spec,
      version,
      current: undefined,
      runningVersion: undefined,
      state: 'starting',
      lastError: undefined,
      lastErrorAt: undefined,
      startedAt: undefined,
      bootFailures: 0,
      retryTimer: undefined,
      chain: Promise.resolve(),
    }
  }

  #serial(slot: Slot, fn: () => Promise<void>): Promise<void> {
    const next = slot.chain.then(fn, fn)
    slot.chain = next.catch(() => undefined)
    return next
  }

  async #boot(slot: Slot, report: ApplyReport, verb: 'started' | 'replaced'): Promise<void> {
    if (slot.retryTimer) clearTimeout(slot.retryTimer)
    slot.retryTimer = undefined
    const spec = slot.spec
    const version = slot.version
    const log = this.log.child({ connector: spec.id, plugin: spec.plugin })
    if (!slot.current) {
      this.#setState(slot, 'starting')
      // Outbound messages for a connector that is not up wait without spending retry attempts.
      this.pipeline.pause(spec.id, 'outbound')
    }
    let next: RunningConnector
    try {
      next = await this.#startInstance(spec, log)
    } catch (error) {
      slot.bootFailures++
      const message = describeError(error)
      this.#fail(
        slot,
        slot.current
          ? `new config not applied, previous instance keeps running: ${message}`
          : message,
      )
      report.failed.push({ id: spec.id, error: message })
      if (slot.current) {
        log.error(
          { err: error, configVersion: version },
          'connector reload failed; keeping the running instance',
        )
        this.metrics.configReloads.inc({ outcome: 'connector_failed' })
        return
      }
      this.#setState(slot, 'failed')
      log.error({ err: error, attempt: slot.bootFailures }, 'connector failed to start')
      if (spec.onBootFailure === 'abort') throw error
      this.#scheduleBootRetry(slot)
      return
    }
    const previous = slot.current
    // The swap: from here on, sends and webhooks go to the new instance.
    slot.current = next
    slot.runningVersion = version
    slot.startedAt = new Date()
    slot.bootFailures = 0
    slot.lastError = undefined
    slot.lastErrorAt = undefined
    this.#setState(slot, 'running')
    this.pipeline.configure(spec.id, 'outbound', {
      concurrency: spec.concurrency,
      ...(spec.ratePerSecond === undefined ? {} : { ratePerSecond: spec.ratePerSecond }),
    })
    this.pipeline.resume(spec.id, 'outbound')
    // New credentials may fix what made messages wait; try them now.
    this.pipeline.retryNow(spec.id, 'outbound')
    report[previous ? 'replaced' : verb].push(spec.id)
    log.info({ configVersion: version }, previous ? 'connector replaced' : 'connector started')
    if (previous) {
      this.metrics.configReloads.inc({ outcome: 'connector_swapped' })
      await this.#drainAndStop(previous, log)
    }
  }

  async #startInstance(spec: ConnectorConfig, log: Logger): Promise<RunningConnector> {
    const child = this.container.createChildContainer()
    child.register(TOKENS.ConnectorSpec, { useValue: spec })
    child.register(TOKENS.ConnectorLogger, { useValue: log })
    return child.resolve(ConnectorRuntime).start()
  }

  async #drainAndStop(instance: RunningConnector, log: Logger): Promise<void> {
    let timer: NodeJS.Timeout | undefined
    const drained = await Promise.race([
      instance.idle().then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), this.drainTimeoutMs)
      }),
    ])
    clearTimeout(timer)
    if (!drained)
      log.warn(
        { inflight: instance.inflight },
        'old instance still busy after the drain timeout; stopping it',
      )
    await instance.stop()
  }

  async #retire(slot: Slot): Promise<void> {
    if (slot.retryTimer) clearTimeout(slot.retryTimer)
    slot.retryTimer = undefined
    this.pipeline.pause(slot.spec.id, 'outbound')
    const current = slot.current
    if (current) {
      this.#setState(slot, 'stopping')
      slot.current = undefined
      await this.#drainAndStop(current, this.log.child({ connector: slot.spec.id }))
    }
    this.#setState(slot, 'stopped')
  }

  #scheduleBootRetry(slot: Slot): void {
    if (this.#closed) return
    this.pipeline.pause(slot.spec.id, 'outbound')
    const delay = Math.min(300_000, 1_000 * 2 ** Math.min(slot.bootFailures - 1, 9))
    slot.retryTimer = setTimeout(() => {
      slot.retryTimer = undefined
      const report = emptyReport()
      void this.#serial(slot, () => this.#boot(slot, report, 'started')).catch(() => undefined)
    }, delay)
    slot.retryTimer.unref()
  }

  #fail(slot: Slot, message: string): void {
    slot.lastError = message
    slot.lastErrorAt = new Date()
  }

  #setState(slot: Slot, state: ConnectorState): void {
    slot.state = state
    const value = state === 'running' ? 1 : state === 'degraded' ? 0.5 : 0
    this.metrics.connectorUp.set({ connector: slot.spec.id, plugin: slot.spec.plugin }, value)
  }
}

function emptyReport(): ApplyReport {
  return { started: [], replaced: [], stopped: [], unchanged: [], failed: [] }
}

function versionOf(spec: ConnectorConfig): string {
  return createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 12)
}
