import type { Logger } from '@plugboard/sdk'
import type { SmppConfig } from './config.js'
import type { BindSpec, SmppClientOptions } from './session/client.js'
import type { DeliverHandler } from './session/link.js'

/** The session settings of a connector config. */
export function clientOptions(
  config: SmppConfig,
  log: Logger,
  onDeliver: DeliverHandler,
): SmppClientOptions {
  const binds: BindSpec[] = [{ type: config.bindType, count: config.binds }]
  if (config.receiverBinds > 0) binds.push({ type: 'receiver', count: config.receiverBinds })
  return {
    endpoint: {
      host: config.host,
      port: config.port,
      tls: config.secure
        ? {
            rejectUnauthorized: config.tlsRejectUnauthorized,
            ...(config.tlsCa ? { ca: config.tlsCa } : {}),
          }
        : undefined,
    },
    credentials: {
      systemId: config.systemId,
      password: config.password,
      systemType: config.systemType,
    },
    binds,
    window: config.window,
    tps: config.tps,
    responseTimeoutMs: config.responseTimeoutMs,
    connectTimeoutMs: config.connectTimeoutMs,
    enquireLinkMs: config.enquireLinkMs,
    reconnect: {
      minMs: config.reconnectMinMs,
      maxMs: Math.max(config.reconnectMinMs, config.reconnectMaxMs),
    },
    throttlePause: {
      minMs: config.throttlePauseMs,
      maxMs: Math.max(config.throttlePauseMs, 30_000),
    },
    submitTimeoutMs: config.sendTimeoutMs,
    onDeliver,
    log,
  }
}
