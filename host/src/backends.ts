import {
  type Broker,
  type BrokerOptions,
  brokerOptionsFromEnv,
  createBroker,
  createBrokerPipeline,
  createCrmClient,
  createDeliveryReports,
  createRedisStateStore,
  createSendSmsConsumer,
  type SendSmsConsumer,
} from '@plugboard/broker'
import {
  createEmbeddedPipeline,
  createHttpClient,
  createSqliteStateStore,
  createWriter,
  describeError,
  type HostConfig,
  HostError,
  openSqlite,
  type Pipeline,
  type StateStore,
  type StatusChange,
} from '@plugboard/core'
import type { Logger } from '@plugboard/sdk'

export interface Backends {
  readonly state: StateStore
  readonly pipeline: Pipeline
  /** The broker connection, when the pipeline, SendSms or reports use one. */
  readonly broker: Broker | undefined
  /** The receipts hook: SendSms status changes become delivery reports and CRM updates. */
  onStatus(change: StatusChange): Promise<boolean | undefined>
  /** Why the host should not take traffic now, when a backend is down. */
  notReady(): { reason: string; detail?: Record<string, unknown> } | undefined
  purgeExpired(): void
  /** Starts consuming AMQ SendSms; call once the connectors run. */
  startIntake(config: HostConfig): Promise<void>
  stopIntake(): Promise<void>
  /** Closes the broker, Redis and the store; the pipeline must be closed first. */
  close(): Promise<void>
}

/**
 * The parts of the host that differ between one process and N replicas: the state store (SQLite
 * or Redis), the pipeline (embedded or on the broker), and the broker-side intake and reports
 * (AMQ SendSms, delivery reports, CRM updates).
 */
export async function createBackends(config: HostConfig, log: Logger): Promise<Backends> {
  const onBroker = config.pipeline.backend === 'broker'
  const broker =
    onBroker || config.sendSms.enabled || config.sendSms.reports.enabled
      ? createBroker({ ...brokerOptions(config), log })
      : undefined
  const redis =
    config.state.backend === 'redis'
      ? createRedisStateStore({ url: config.state.url!, prefix: config.state.keyPrefix })
      : undefined
  if (redis) await redis.connect()
  const db =
    !onBroker || !redis
      ? openSqlite({ path: config.store.path, durability: config.store.durability })
      : undefined
  const writer = db ? createWriter(db) : undefined
  const sqliteState = db && writer ? createSqliteStateStore(db, writer) : undefined
  const state: StateStore = redis ?? sqliteState!
  if (broker) await connectWithin(broker, config.broker.timeoutMs ?? 10_000, log)

  const pipeline: Pipeline = onBroker
    ? createBrokerPipeline({
        broker: broker!,
        state,
        log,
        retry: config.pipeline.retry,
        lane: { concurrency: config.pipeline.concurrency },
        prefix: config.pipeline.queuePrefix,
        shards: config.pipeline.shards,
        prefetch: config.pipeline.prefetch ?? config.broker.prefetch ?? 50,
        handoverTimeoutMs: config.pipeline.drainTimeoutMs,
      })
    : createEmbeddedPipeline({
        db: db!,
        writer: writer!,
        onStoreError: (error) =>
          log.error(
            { err: error },
            'could not record a delivery; it may be repeated after a restart',
          ),
        retry: config.pipeline.retry,
        lane: { concurrency: config.pipeline.concurrency },
        maxQueued: config.pipeline.maxQueued,
      })

  const smsConnector = config.sendSms.connector
  const crmHttp =
    config.crm.url && !config.crm.disabled && smsConnector
      ? createHttpClient({ timeoutMs: config.crm.timeoutMs })
      : undefined
  const crm = crmHttp
    ? createCrmClient({
        url: config.crm.url!,
        ...(config.crm.user === undefined ? {} : { user: config.crm.user }),
        ...(config.crm.password === undefined ? {} : { password: config.crm.password }),
        http: crmHttp,
        log,
        timeoutMs: config.crm.timeoutMs,
        maxAttempts: config.crm.maxAttempts,
      })
    : undefined
  const reports =
    smsConnector && (config.sendSms.reports.enabled || crm)
      ? createDeliveryReports({
          state,
          connectorId: smsConnector,
          ...(config.sendSms.reports.enabled
            ? { publish: { broker: broker!, queue: config.sendSms.reports.queue } }
            : {}),
          ...(crm ? { crm } : {}),
          log,
        })
      : undefined
  let consumer: SendSmsConsumer | undefined

  return {
    state,
    pipeline,
    broker,
    onStatus: async (change) => reports?.onStatus(change),
    notReady() {
      const status = broker?.status()
      if (status && !status.connected) {
        return {
          reason: 'broker disconnected',
          detail: {
            ...(status.endpoint ? { endpoint: status.endpoint } : {}),
            ...(status.lastError ? { lastError: status.lastError } : {}),
            reconnects: status.reconnects,
          },
        }
      }
      if (redis && !redis.connected) return { reason: 'Redis disconnected' }
      return undefined
    },
    purgeExpired() {
      sqliteState?.purgeExpired()
    },
    async startIntake(current) {
      if (!current.sendSms.enabled || !broker) return
      consumer = createSendSmsConsumer({
        broker,
        pipeline,
        queue: current.sendSms.queue,
        ...(current.sendSms.deadLetterQueue
          ? { deadLetterQueue: current.sendSms.deadLetterQueue }
          : {}),
        channel: smsChannel(current),
        ...(reports ? { state } : {}),
        ...(current.sendSms.prefetch ? { prefetch: current.sendSms.prefetch } : {}),
        log,
      })
      await consumer.start()
    },
    async stopIntake() {
      await consumer?.stop()
    },
    async close() {
      reports?.close()
      crm?.close()
      await Promise.allSettled([crmHttp?.close(), broker?.close(), redis?.close()])
      db?.close()
    },
  }
}

/** The connector and from-number SendSms messages go out through. */
function smsChannel(config: HostConfig): { connectorId: string; serviceIdentifier: string } {
  const connectorId = config.sendSms.connector!
  if (!config.connectors.some((c) => c.id === connectorId)) {
    throw new HostError(
      'CONFIG_INVALID',
      `sendSms.connector (SENDSMS_CONNECTOR) names '${connectorId}', which is not a configured connector`,
    )
  }
  const serviceIdentifier =
    config.sendSms.serviceIdentifier ??
    config.channels.find((c) => c.connector === connectorId)?.serviceIdentifier
  if (!serviceIdentifier) {
    throw new HostError(
      'CONFIG_INVALID',
      `connector '${connectorId}' has no channel: set sendSms.serviceIdentifier (SENDSMS_FROM) to the from-number`,
    )
  }
  return { connectorId, serviceIdentifier }
}

/** BrokerOptions from the config's broker section (which mirrors CCM's AMQ_* variables). */
export function brokerOptions(config: HostConfig): BrokerOptions {
  const b = config.broker
  // The drivers' own reading of AMQ_* (failover lists, ActiveMQ URLs, AMQ_HOST/AMQ_PORT) applies
  // to values from the YAML file too, so both spellings mean the same thing.
  const vars: Record<string, string | undefined> = {
    AMQ_PROTOCOL: b.protocol,
    AMQ_PRIMARY: b.primary,
    AMQ_SECONDARY: b.secondary,
    AMQ_HOST: b.host,
    AMQ_PORT: b.port?.toString(),
    AMQ_USERNAME: b.username,
    AMQ_PASSWORD: b.password,
    AMQ_TIMEOUT: b.timeoutMs?.toString(),
    AMQ_PREFETCH_SIZE: b.prefetch?.toString(),
    AMQ_PRIORITY_BACKUP: b.priorityBackup?.toString(),
    AMQ_RANDOMIZE: b.randomize?.toString(),
    AMQ_SSL_ENABLED: b.ssl.enabled ? 'true' : undefined,
    AMQ_SSL_CA: b.ssl.caFile,
    AMQ_SSL_CERT: b.ssl.certFile,
    AMQ_SSL_KEY: b.ssl.keyFile,
  }
  let options: BrokerOptions | undefined
  try {
    options = brokerOptionsFromEnv(vars)
  } catch (cause) {
    throw new HostError('CONFIG_INVALID', describeError(cause), { cause })
  }
  if (!options) {
    throw new HostError(
      'CONFIG_INVALID',
      'the pipeline on a broker, CONSUMER_ENABLED and PUBLISHER_ENABLE need a broker: set AMQ_PRIMARY (or AMQ_HOST)',
    )
  }
  return options
}

/**
 * Waits for the first connection a bounded time: a broker that is down does not keep the host
 * from starting; it starts not ready (see /readyz) and connects when the broker is back.
 */
async function connectWithin(broker: Broker, timeoutMs: number, log: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const connected = broker.connect().then(
    () => true,
    (error: unknown) => {
      log.error({ err: describeError(error) }, 'cannot connect to the broker')
      return false
    },
  )
  const waited = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs)
  })
  const ok = await Promise.race([connected, waited])
  clearTimeout(timer)
  if (!ok) log.warn({ status: broker.status() }, 'broker not connected yet; starting not ready')
}
