import type { Logger } from '@plugboard/sdk'
import { pino } from 'pino'
import { createRotatingFile } from './log-file.js'

export interface LoggerOptions {
  level?: string
  /** Extra pino redact paths (secret config fields are never logged in the first place). */
  redact?: string[]
  /** Write to this file instead of stdout. */
  destination?: string
  /** Rotate the file at this size, keeping this many old files (needs `destination`). */
  rotate?: { maxBytes: number; backups: number }
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
  const destination = !options.destination
    ? undefined
    : options.rotate
      ? createRotatingFile({ path: options.destination, ...options.rotate })
      : pino.destination({ dest: options.destination, mkdir: true, sync: false })
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
