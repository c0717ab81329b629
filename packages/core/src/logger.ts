import type { Logger } from '@plugboard/sdk'
import { pino } from 'pino'

export interface LoggerOptions {
  level?: string
  /** Extra pino redact paths (secret config fields are never logged in the first place). */
  redact?: string[]
  /** Write to this file instead of stdout. */
  destination?: string
}

/**
 * Paths that can carry credentials in any log object. Secret config fields are redacted before
 * config is logged; these catch headers and bodies that slip into error objects.
 */
const DEFAULT_REDACT = [
  'authorization',
  'password',
  'token',
  'secret',
  '*.authorization',
  '*.password',
  '*.token',
  '*.secret',
  '*.authToken',
  '*.apiKey',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  '*.headers.authorization',
  'config.*.password',
]

export function createLogger(options: LoggerOptions = {}): Logger & pino.Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info'
  const destination = options.destination
    ? pino.destination({ dest: options.destination, mkdir: true, sync: false })
    : undefined
  return pino(
    {
      level,
      base: { service: 'plugboard' },
      redact: { paths: [...DEFAULT_REDACT, ...(options.redact ?? [])], censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  )
}
