import { z } from 'zod'
import { parseSize } from '../log-file.js'

const ConnectorId = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_-]*$/,
    'use letters, digits, dashes and underscores (it becomes a URL segment)',
  )

export const ConnectorSchema = z.object({
  id: ConnectorId,
  plugin: z.string().min(1),
  /** Plugin-specific settings, validated against the plugin's own schema. */
  config: z.record(z.string(), z.unknown()).default({}),
  bootTimeoutMs: z.number().int().positive().default(10_000),
  /** `continue`: the host runs without this connector and retries its boot. `abort`: the host does not start. */
  onBootFailure: z.enum(['continue', 'abort']).default('continue'),
  /** Parallel sends to the provider (messages of one conversation are still sent one by one). */
  concurrency: z.number().int().positive().default(16),
  /** Sustained send rate towards the provider, messages per second. */
  ratePerSecond: z.number().positive().optional(),
})

/**
 * Where a channel's customer messages go: `ccm` (the default), or `{connector: <id>}`, another
 * connector that serves the channel's customers (e.g. an SMS channel served by CXone agents
 * through the BYOC connector).
 */
const RouteSchema = z.union([z.literal('ccm'), z.strictObject({ connector: ConnectorId })])

const Size = z.union([z.number().int().positive(), z.string()]).transform((v, ctx) => {
  const bytes = parseSize(v)
  if (!Number.isFinite(bytes) || bytes <= 0) {
    ctx.addIssue({ code: 'custom', message: `'${v}' is not a size; use bytes or e.g. 10MB, 512k` })
    return z.NEVER
  }
  return bytes
})

const ServiceIdentifier = z.union([z.string().min(1), z.number().transform(String)])

/** AMQ_PROTOCOL spellings. */
const BROKER_PROTOCOLS: Record<string, string> = {
  amqp: 'amqp091',
  '0-9-1': 'amqp091',
  '0.9.1': 'amqp091',
  '1.0': 'amqp10',
  'amqp1.0': 'amqp10',
}

/** A channel whose connector settings live in Unified Admin. */
const UnifiedAdminChannel = z.union([
  ServiceIdentifier.transform((serviceIdentifier) => ({ serviceIdentifier })),
  z.object({
    serviceIdentifier: ServiceIdentifier,
    /** The connector id to use (it is part of the webhook URLs); default: Unified Admin's connector id. */
    connector: ConnectorId.optional(),
    /** The plugin to run; default: found from the channel provider's name or attribute keys. */
    plugin: z.string().min(1).optional(),
  }),
])

/** Networks CCM usually pushes from: loopback and private ranges. */
export const PRIVATE_NETWORKS = [
  '127.0.0.0/8',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '::1/128',
  'fc00::/7',
]

export const ChannelSchema = z.object({
  serviceIdentifier: ServiceIdentifier,
  connector: z.string().min(1),
  channelType: z.string().optional(),
  /** Where inbound messages of this channel go: `ccm` (default) or `{connector: <id>}`. */
  route: RouteSchema.default('ccm'),
})

export const HostConfigSchema = z.object({
  port: z.number().int().min(0).max(65535).default(8080),
  host: z.string().default('0.0.0.0'),
  /** The URL providers reach this host on; webhook URLs and callbacks are built from it. */
  publicUrl: z.url().optional(),
  ccm: z
    .object({
      url: z.url().optional(),
      timeoutMs: z.number().int().positive().default(10_000),
    })
    .default({ timeoutMs: 10_000 }),
  fileEngine: z.object({ url: z.url().optional(), publicUrl: z.url().optional() }).default({}),
  store: z
    .object({
      path: z.string().default('data/plugboard.db'),
      durability: z.enum(['normal', 'full']).default('normal'),
    })
    .default({ path: 'data/plugboard.db', durability: 'normal' }),
  pipeline: z
    .object({
      concurrency: z.number().int().positive().default(64),
      /** New messages are refused with 503 while this many wait for delivery. */
      maxQueued: z.number().int().positive().default(100_000),
      drainTimeoutMs: z.number().int().positive().default(15_000),
      retry: z
        .object({
          baseDelayMs: z.number().int().positive().optional(),
          maxDelayMs: z.number().int().positive().optional(),
          maxAttempts: z.number().int().positive().optional(),
          maxAuthAttempts: z.number().int().positive().optional(),
        })
        .default({}),
      /** PIPELINE_BACKEND: `embedded` (SQLite, one process) or `broker` (shared by replicas). */
      backend: z.enum(['embedded', 'broker']).default('embedded'),
      /** PIPELINE_SHARDS: queues per connector and direction on the broker; at least the replicas. */
      shards: z.number().int().min(1).max(256).default(4),
      /** Broker queue names start with it; replicas of one deployment share it. */
      queuePrefix: z
        .string()
        .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'use letters, digits, dots, dashes, underscores')
        .default('plugboard'),
      /** Unacked messages per broker queue consumer; default AMQ_PREFETCH_SIZE, else 50. */
      prefetch: z.number().int().positive().optional(),
    })
    .default({
      concurrency: 64,
      maxQueued: 100_000,
      drainTimeoutMs: 15_000,
      retry: {},
      backend: 'embedded',
      shards: 4,
      queuePrefix: 'plugboard',
    }),
  /** The message broker (CCM's AMQ_* variables): pipeline on a broker, SendSms, delivery reports. */
  broker: z
    .object({
      protocol: z
        .preprocess(
          (v) => (typeof v === 'string' ? (BROKER_PROTOCOLS[v.toLowerCase()] ?? v) : v),
          z.enum(['amqp091', 'amqp10']),
        )
        .default('amqp091'),
      /** AMQ_PRIMARY: amqp(s)://, tcp://, ssl://, failover:(a,b) or host[:port]. */
      primary: z.string().min(1).optional(),
      secondary: z.string().min(1).optional(),
      /** AMQ_HOST / AMQ_PORT, when AMQ_PRIMARY is not set. */
      host: z.string().min(1).optional(),
      port: z.number().int().positive().optional(),
      username: z.string().optional(),
      password: z.string().optional(),
      timeoutMs: z.number().int().positive().optional(),
      prefetch: z.number().int().positive().optional(),
      priorityBackup: z.boolean().optional(),
      randomize: z.boolean().optional(),
      ssl: z
        .object({
          enabled: z.boolean().default(false),
          caFile: z.string().optional(),
          certFile: z.string().optional(),
          keyFile: z.string().optional(),
        })
        .default({ enabled: false }),
    })
    .default({ protocol: 'amqp091', ssl: { enabled: false } }),
  /** Shared state (de-duplication, id maps, sent markers): SQLite in the store, or Redis for replicas. */
  state: z
    .object({
      /** STATE_BACKEND. */
      backend: z.enum(['sqlite', 'redis']).default('sqlite'),
      /** REDIS_URL: redis://[user:password@]host:6379[/db]. */
      url: z.string().optional(),
      keyPrefix: z.string().default('plugboard:'),
    })
    .refine((s) => s.backend !== 'redis' || s.url, 'STATE_BACKEND=redis needs REDIS_URL')
    .default({ backend: 'sqlite', keyPrefix: 'plugboard:' }),
  /** AMQ SendSms: consume the outbound queue and send each message through an SMS connector. */
  sendSms: z
    .object({
      /** CONSUMER_ENABLED (or CONSUMER_ENABLE). */
      enabled: z.boolean().default(false),
      /** AMQ_OUTBOUND_QUEUE. */
      queue: z.string().min(1).default('outbound-sms'),
      /** Where malformed SendSms go, with the reason; default `<queue>.dlq`. */
      deadLetterQueue: z.string().min(1).optional(),
      /** SENDSMS_CONNECTOR: the connector that sends them. */
      connector: z.string().min(1).optional(),
      /** SENDSMS_FROM: the from-number; default the connector's first channel. */
      serviceIdentifier: ServiceIdentifier.optional(),
      prefetch: z.number().int().positive().optional(),
      reports: z
        .object({
          /** PUBLISHER_ENABLE: publish a delivery report per status change. */
          enabled: z.boolean().default(false),
          /** AMQ_DELIVERY_QUEUE. */
          queue: z.string().min(1).default('sms-delivery-reports'),
        })
        .default({ enabled: false, queue: 'sms-delivery-reports' }),
    })
    .refine(
      (s) => !(s.enabled || s.reports.enabled) || s.connector,
      'CONSUMER_ENABLED/PUBLISHER_ENABLE need sendSms.connector (SENDSMS_CONNECTOR): the SMS connector',
    )
    .default({
      enabled: false,
      queue: 'outbound-sms',
      reports: { enabled: false, queue: 'sms-delivery-reports' },
    }),
  /** SMS delivery notifications pushed to a third-party CRM (REST, basic auth). */
  crm: z
    .object({
      /** CRM_API_URL; unset = no CRM updates. */
      url: z.url().optional(),
      /** CRM_API_USER / CRM_API_PASSWORD. */
      user: z.string().optional(),
      password: z.string().optional(),
      /** IS_CRM_UPDATE_DISABLED. */
      disabled: z.boolean().default(false),
      timeoutMs: z.number().int().positive().default(10_000),
      maxAttempts: z.number().int().positive().default(5),
    })
    .default({ disabled: false, timeoutMs: 10_000, maxAttempts: 5 }),
  plugins: z
    .object({
      dirs: z.array(z.string()).default(['plugins']),
      /** Also load installed dependencies of the project with the plugboard-plugin keyword. */
      dependencies: z.boolean().default(true),
    })
    .default({ dirs: ['plugins'], dependencies: true }),
  admin: z
    .object({ token: z.string().min(16, 'use at least 16 characters').optional() })
    .default({}),
  tls: z
    .object({
      enabled: z.boolean().default(false),
      keyPath: z.string().optional(),
      certPath: z.string().optional(),
    })
    .refine(
      (t) => !t.enabled || (t.keyPath && t.certPath),
      'ENABLE_SSL needs SSL_KEY_PATH and SSL_CERT_PATH',
    )
    .default({ enabled: false }),
  proxy: z
    .object({
      enabled: z.boolean().default(false),
      host: z.string().optional(),
      port: z.number().int().positive().optional(),
      user: z.string().optional(),
      password: z.string().optional(),
    })
    .refine(
      (p) => !p.enabled || (p.host && p.port),
      'USE_FORWARD_PROXY needs FORWARD_PROXY_HOST and FORWARD_PROXY_PORT',
    )
    .default({ enabled: false }),
  log: z
    .object({
      level: z.string().default('info'),
      path: z.string().optional(),
      /** LOG_FILE_SIZE: rotate the log file at this size (`10MB`, `512k`, bytes); unset = never. */
      fileSize: Size.optional(),
      /** LOG_BACKUP_FILES: rotated files kept. */
      backupFiles: z.number().int().min(0).default(5),
      /** LOGS_TOTAL_SIZE: cap on all log files together; lowers the files kept to fit. */
      totalSize: Size.optional(),
    })
    .default({ level: 'info', backupFiles: 5 }),
  /** Connector settings pulled from (and pushed by) CCM / Unified Admin. */
  unifiedAdmin: z
    .object({
      channels: z.array(UnifiedAdminChannel).default([]),
      /** How often every channel is pulled again, so a lost push is repaired; 0 turns it off. */
      resyncIntervalMs: z.number().int().min(0).default(300_000),
      /** Pause between pulls while CCM cannot be reached. */
      retryIntervalMs: z.number().int().positive().default(5_000),
      /** Channel provider name (or id) → plugin id, where the name alone does not say it. */
      providers: z.record(z.string(), z.string()).default({}),
      /** Who may POST /connector-configurations: a shared token, or a network allow-list. */
      push: z
        .object({
          token: z.string().min(16, 'use at least 16 characters').optional(),
          allow: z.array(z.string()).default(PRIVATE_NETWORKS),
        })
        .default({ allow: PRIVATE_NETWORKS }),
    })
    .default({
      channels: [],
      resyncIntervalMs: 300_000,
      retryIntervalMs: 5_000,
      providers: {},
      push: { allow: PRIVATE_NETWORKS },
    }),
  /** SKILL_GROUPS: channel type → queue named on inbound messages to CCM; `default` for the rest. */
  skillGroups: z
    .record(
      z.string(),
      z.string().min(1, 'name a queue: SKILL_GROUPS is "channel, queue" pairs separated by |'),
    )
    .default({}),
  /** CUSTOMER_INACTIVITY_TIMEOUT in seconds: end the chat of a customer idle this long; -1 = off. */
  customerInactivityTimeout: z.number().default(-1),
  connectors: z.array(ConnectorSchema).default([]),
  channels: z.array(ChannelSchema).default([]),
})

export type HostConfig = z.output<typeof HostConfigSchema>
export type ConnectorConfig = HostConfig['connectors'][number]
export type ChannelConfig = HostConfig['channels'][number]
