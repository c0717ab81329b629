/**
 * Coded errors raised by the host. Each code has one message template and one fix, so a log line
 * or an HTTP error tells the operator what to change.
 */
const CODES = {
  CONFIG_INVALID: {
    status: 400,
    fix: 'Correct the value at the path shown, then save the file again.',
  },
  CONFIG_NOT_FOUND: {
    status: 500,
    fix: 'Pass --config FILE or set PLUGBOARD_CONFIG to an existing YAML file.',
  },
  CONFIG_REF_UNRESOLVED: {
    status: 500,
    fix: 'Set the environment variable or create the file the ${env:}/${file:} reference names.',
  },
  PLUGIN_NOT_FOUND: {
    status: 500,
    fix: "Install the plugin package (keyword 'plugboard-plugin') or drop it into a plugins/ directory.",
  },
  PLUGIN_INVALID: {
    status: 500,
    fix: 'Make the package default-export the result of definePlugin() from @plugboard/sdk.',
  },
  PLUGIN_API_MISMATCH: {
    status: 500,
    fix: 'Upgrade the plugin, or use a host whose plugin API version the plugin supports.',
  },
  PLUGIN_ID_COLLISION: {
    status: 500,
    fix: 'Remove one of the two packages, or give one plugin a different id.',
  },
  CONNECTOR_BOOT_TIMEOUT: {
    status: 503,
    fix: 'Make setup(ctx) resolve sooner (start slow work in the background), or raise bootTimeoutMs for this connector.',
  },
  CONNECTOR_BOOT_FAILED: {
    status: 503,
    fix: 'See the cause; the host retries the boot with backoff.',
  },
  CONNECTOR_UNAVAILABLE: {
    status: 503,
    fix: 'The message waits until the connector is running; check /admin/connectors for its last error.',
  },
  CHANNEL_NOT_FOUND: {
    status: 404,
    fix: 'Add a channel with this serviceIdentifier to the config, or correct the serviceIdentifier in the message.',
  },
  MESSAGE_INVALID: {
    status: 400,
    fix: 'Send a CIM message as described in the CCM documentation.',
  },
  QUEUE_FULL: {
    status: 503,
    fix: 'Delivery is behind (is CCM or the provider down?); retry later, or raise pipeline.maxQueued if memory allows.',
  },
  DRAINING: { status: 503, fix: 'The host is shutting down or reloading; retry shortly.' },
  STORE_FAILED: { status: 503, fix: 'Check the store file path, its disk space and permissions.' },
  CCM_UNREACHABLE: {
    status: 502,
    fix: 'Check CCM_URL and that CCM is up; the message is retried.',
  },
  CCM_REJECTED: {
    status: 502,
    fix: 'CCM refused the message; check that the channel is registered in Unified Admin.',
  },
  BROKER_UNAVAILABLE: {
    status: 503,
    fix: 'Check AMQ_PRIMARY/AMQ_SECONDARY and that the broker is up; the host reconnects by itself, so retry shortly.',
  },
  STATE_UNAVAILABLE: {
    status: 503,
    fix: 'Check state.url (REDIS_URL) and that Redis is up; the host reconnects by itself, so retry shortly.',
  },
  ADMIN_DISABLED: { status: 404, fix: 'Set ADMIN_TOKEN to enable the admin API.' },
  UNAUTHORIZED: { status: 401, fix: 'Send Authorization: Bearer <ADMIN_TOKEN>.' },
} as const

export type HostErrorCode = keyof typeof CODES

export class HostError extends Error {
  override readonly name = 'HostError'
  readonly code: HostErrorCode
  readonly fix: string
  readonly status: number
  readonly details: unknown

  constructor(
    code: HostErrorCode,
    message: string,
    options: { cause?: unknown; details?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.fix = CODES[code].fix
    this.status = CODES[code].status
    this.details = options.details
  }

  /** The message followed by the fix, for logs and CLI output. */
  describe(): string {
    return `${this.code}: ${this.message}\n  fix: ${this.fix}`
  }

  toJSON(): { code: string; message: string; fix: string; details?: unknown } {
    return {
      code: this.code,
      message: this.message,
      fix: this.fix,
      ...(this.details === undefined ? {} : { details: this.details }),
    }
  }
}

export function isHostError(error: unknown, code?: HostErrorCode): error is HostError {
  return error instanceof HostError && (code === undefined || error.code === code)
}

/** A short, secret-free description of any thrown value. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message
  }
  return String(error)
}
