/**
 * Coded errors raised by the broker drivers. Each code has one fix and says whether retrying the
 * same call can succeed, so the pipeline can decide between retry and dead-letter without
 * parsing messages.
 */
const CODES = {
  BROKER_CONFIG_INVALID: {
    retryable: false,
    fix: 'Correct the AMQ_* variable named in the message (see packages/broker/README.md).',
  },
  BROKER_TLS_FILE: {
    retryable: false,
    fix: 'Point AMQ_SSL_CA / AMQ_SSL_CERT / AMQ_SSL_KEY at readable PEM files.',
  },
  BROKER_UNAVAILABLE: {
    retryable: true,
    fix: 'The driver is reconnecting by itself; retry later. If it lasts, check that the broker is up and reachable (status().lastError says why it is not).',
  },
  BROKER_CLOSED: {
    retryable: false,
    fix: 'The broker client was closed; create a new one.',
  },
  BROKER_UNROUTABLE: {
    retryable: true,
    fix: 'Declare the queue with assertQueue() before publishing, or create it on the broker.',
  },
  BROKER_PUBLISH_REFUSED: {
    retryable: true,
    fix: 'The broker refused the message (resource alarm, queue length limit, or a broker-side error); retry later and check the broker logs.',
  },
  BROKER_PUBLISH_UNCONFIRMED: {
    retryable: true,
    fix: 'The connection dropped before the broker confirmed; publish again (receivers de-duplicate by messageId).',
  },
  BROKER_PUBLISH_TIMEOUT: {
    retryable: true,
    fix: 'The broker did not confirm in time (is it blocked by a memory or disk alarm?); publish again, receivers de-duplicate by messageId.',
  },
  BROKER_TOPOLOGY_FAILED: {
    retryable: false,
    fix: 'A queue could not be declared; check the queue name and the user permissions on the vhost.',
  },
  BROKER_DELAY_TOO_LONG: {
    retryable: false,
    fix: 'Use a delay of at most 24 hours, or park the message elsewhere.',
  },
  BROKER_DELAY_UNSUPPORTED: {
    retryable: false,
    fix: 'Delayed delivery over AMQP 1.0 works with RabbitMQ and ActiveMQ Artemis; use one of them, or publish without delayMs.',
  },
  BROKER_CONSUME_FAILED: {
    retryable: true,
    fix: 'Check that the queue exists (assertQueue) and that the user may read from it.',
  },
} as const

export type BrokerErrorCode = keyof typeof CODES

export class BrokerError extends Error {
  override readonly name = 'BrokerError'
  readonly code: BrokerErrorCode
  readonly fix: string
  readonly retryable: boolean

  constructor(code: BrokerErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.fix = CODES[code].fix
    this.retryable = CODES[code].retryable
  }

  /** The message followed by the fix, for logs and CLI output. */
  describe(): string {
    return `${this.code}: ${this.message}\n  fix: ${this.fix}`
  }
}

export function isBrokerError(error: unknown, code?: BrokerErrorCode): error is BrokerError {
  return error instanceof BrokerError && (code === undefined || error.code === code)
}

/** A short, credential-free description of any thrown value (URLs lose their user:pass). */
export function describeCause(error: unknown): string {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined
  const text =
    error instanceof Error
      ? typeof code === 'string'
        ? `${code}: ${error.message}`
        : error.message
      : String(error)
  return text.replace(/(\w+:\/\/)[^@/\s]*@/g, '$1')
}
