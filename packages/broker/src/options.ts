import { z } from 'zod'
import type { BrokerOptions } from './broker.js'
import { BrokerError } from './errors.js'

const Endpoint = z.object({
  url: z
    .string()
    .regex(/^amqps?:\/\/[^/?#]+/i, 'use amqp://[user:pass@]host[:port][/vhost] or amqps://…'),
})

/** BrokerOptions with defaults applied; what the drivers work from. */
export const BrokerOptionsSchema = z.object({
  protocol: z.enum(['amqp091', 'amqp10']).default('amqp091'),
  primary: Endpoint,
  secondary: Endpoint.optional(),
  priorityBackup: z.boolean().default(false),
  randomize: z.boolean().default(false),
  connectTimeoutMs: z.number().int().positive().default(10_000),
  prefetch: z.number().int().min(1).max(65_535).default(100),
  publishTimeoutMs: z.number().int().positive().default(30_000),
  tls: z
    .object({
      caFile: z.string().min(1).optional(),
      certFile: z.string().min(1).optional(),
      keyFile: z.string().min(1).optional(),
      rejectUnauthorized: z.boolean().default(true),
    })
    .optional(),
  reconnect: z
    .object({
      initialDelayMs: z.number().int().positive().default(500),
      maxDelayMs: z.number().int().positive().default(30_000),
      probeIntervalMs: z.number().int().positive().default(5_000),
    })
    .default({ initialDelayMs: 500, maxDelayMs: 30_000, probeIntervalMs: 5_000 }),
})

export type ResolvedBrokerOptions = z.output<typeof BrokerOptionsSchema>

/** The environment variable behind each option, so a validation error names what to change. */
const VARIABLE: Record<string, string> = {
  protocol: 'AMQ_PROTOCOL',
  primary: 'AMQ_PRIMARY (or AMQ_HOST/AMQ_PORT)',
  secondary: 'AMQ_SECONDARY',
  connectTimeoutMs: 'AMQ_TIMEOUT',
  prefetch: 'AMQ_PREFETCH_SIZE',
  tls: 'AMQ_SSL_CA/AMQ_SSL_CERT/AMQ_SSL_KEY',
}

/** Validates options (from code or from the environment) and fills in the defaults. */
export function resolveBrokerOptions(options: BrokerOptions): ResolvedBrokerOptions {
  const parsed = BrokerOptionsSchema.safeParse(options)
  if (parsed.success) return parsed.data
  const problems = parsed.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '')
    const name = VARIABLE[key] ? `${issue.path.join('.')} (${VARIABLE[key]})` : issue.path.join('.')
    return `${name}: ${issue.message}`
  })
  throw new BrokerError('BROKER_CONFIG_INVALID', `invalid broker options: ${problems.join('; ')}`)
}

/**
 * Maps CCM's AMQ_* variables to BrokerOptions; undefined when no broker is configured (neither
 * AMQ_PRIMARY nor AMQ_HOST), which means the host runs on its embedded store.
 *
 * AMQ_PRIMARY/AMQ_SECONDARY take a URL (amqp://, amqps://, or ActiveMQ's tcp:// and ssl://, whose
 * query options are dropped), an ActiveMQ `failover:(url1,url2)` list, or a bare host[:port].
 * Credentials come from the URL or from AMQ_USERNAME/AMQ_PASSWORD.
 */
export function brokerOptionsFromEnv(env: NodeJS.ProcessEnv): BrokerOptions | undefined {
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim()
    return value ? value : undefined
  }
  const bool = (name: string): boolean | undefined => {
    const value = get(name)
    if (value === undefined) return undefined
    if (/^(1|true|yes|on)$/i.test(value)) return true
    if (/^(0|false|no|off)$/i.test(value)) return false
    throw invalid(name, value, 'expected true or false')
  }
  const int = (name: string): number | undefined => {
    const value = get(name)
    if (value === undefined) return undefined
    const n = Number(value)
    if (!Number.isInteger(n) || n <= 0) throw invalid(name, value, 'expected a positive integer')
    return n
  }

  const ssl = bool('AMQ_SSL_ENABLED') ?? false
  const port = int('AMQ_PORT')
  const user = get('AMQ_USERNAME') ?? get('AMQ_USER')
  const password = get('AMQ_PASSWORD')
  const toUrl = (value: string, name: string): string =>
    endpointUrl(value, { ssl, port, user, password, name })

  let primary = get('AMQ_PRIMARY')
  let secondary = get('AMQ_SECONDARY')
  const failover = primary?.match(/^failover:\(?([^)]*)\)?/i)
  if (primary && failover) {
    const [first, second] = failover[1]!.split(',').map((s) => s.trim())
    primary = first
    secondary ??= second
  }
  if (!primary) {
    const host = get('AMQ_HOST')
    if (!host) return undefined
    primary = host
  }

  const protocolText = get('AMQ_PROTOCOL')?.toLowerCase()
  const protocol =
    protocolText === undefined || ['amqp091', '0-9-1', '0.9.1', 'amqp'].includes(protocolText)
      ? 'amqp091'
      : ['amqp10', '1.0', 'amqp1.0'].includes(protocolText)
        ? 'amqp10'
        : undefined
  if (!protocol) throw invalid('AMQ_PROTOCOL', protocolText ?? '', 'expected amqp091 or amqp10')

  const caFile = get('AMQ_SSL_CA')
  const certFile = get('AMQ_SSL_CERT')
  const keyFile = get('AMQ_SSL_KEY')
  const timeout = int('AMQ_TIMEOUT')
  const prefetch = int('AMQ_PREFETCH_SIZE')
  const priorityBackup = bool('AMQ_PRIORITY_BACKUP')
  const randomize = bool('AMQ_RANDOMIZE')
  return {
    protocol,
    primary: { url: toUrl(primary, 'AMQ_PRIMARY') },
    ...(secondary ? { secondary: { url: toUrl(secondary, 'AMQ_SECONDARY') } } : {}),
    ...(priorityBackup === undefined ? {} : { priorityBackup }),
    ...(randomize === undefined ? {} : { randomize }),
    ...(timeout === undefined ? {} : { connectTimeoutMs: timeout }),
    ...(prefetch === undefined ? {} : { prefetch }),
    ...(ssl || caFile || certFile || keyFile
      ? {
          tls: {
            ...(caFile ? { caFile } : {}),
            ...(certFile ? { certFile } : {}),
            ...(keyFile ? { keyFile } : {}),
          },
        }
      : {}),
  }
}

function endpointUrl(
  value: string,
  context: { ssl: boolean; port?: number; user?: string; password?: string; name: string },
): string {
  const hasScheme = value.includes('://')
  let url: URL
  try {
    url = new URL(hasScheme ? value : `amqp://${value}`)
  } catch {
    throw invalid(context.name, value, 'expected a URL or host[:port]')
  }
  const scheme = url.protocol.replace(/:$/, '').toLowerCase()
  if (!['amqp', 'amqps', 'tcp', 'ssl', 'amqp+ssl'].includes(scheme) || !url.hostname) {
    throw invalid(context.name, value, 'use amqp://, amqps://, tcp:// or ssl://, or host[:port]')
  }
  const tls = context.ssl || ['amqps', 'ssl', 'amqp+ssl'].includes(scheme)
  // AMQ_PORT only fills in a port the value does not give itself.
  const port = url.port || (context.port ? String(context.port) : '')
  const auth =
    url.username || url.password
      ? `${url.username}:${url.password}@`
      : context.user
        ? `${encodeURIComponent(context.user)}:${encodeURIComponent(context.password ?? '')}@`
        : ''
  const vhost = url.pathname.length > 1 ? url.pathname : ''
  return `${tls ? 'amqps' : 'amqp'}://${auth}${url.hostname}${port ? `:${port}` : ''}${vhost}`
}

function invalid(name: string, value: string, expected: string): BrokerError {
  const shown = /PASSWORD/.test(name) ? '***' : value.replace(/(\w+:\/\/)[^@/\s]*@/, '$1')
  return new BrokerError('BROKER_CONFIG_INVALID', `${name}=${shown}: ${expected}`)
}
