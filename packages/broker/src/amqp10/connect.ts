import { randomUUID } from 'node:crypto'
import { isIP, type Socket } from 'node:net'
import rhea, { type Connection, type ConnectionOptions, type EventContext } from 'rhea'
import type { BrokerTls } from '../broker.js'
import type { ParsedEndpoint } from '../connection/endpoint.js'
import { readTls } from '../connection/tls.js'

export interface Amqp10ConnectOptions {
  timeoutMs: number
  tls?: BrokerTls
  connectionName: string
}

/**
 * Opens one AMQP 1.0 connection with rhea's own reconnect turned off: the supervisor reconnects
 * with a fresh connection, fresh links and fresh credit, so no link survives with stale state
 * (rhea #281/#326: credit reset to 0 on rhea's reconnect).
 */
export function connectAmqp10(
  endpoint: ParsedEndpoint,
  options: Amqp10ConnectOptions,
): Promise<Connection> {
  const container = rhea.create_container({ id: `plugboard-${randomUUID()}` })
  // Errors are handled on connections, sessions and links; an unhandled 'error' on the
  // container would otherwise throw.
  container.on('error', () => {})
  const tls = endpoint.tls ? readTls(options.tls) : undefined
  const base = {
    host: endpoint.host,
    port: endpoint.port,
    ...(endpoint.username !== undefined ? { username: endpoint.username } : {}),
    ...(endpoint.password !== undefined ? { password: endpoint.password } : {}),
    // RabbitMQ reads the vhost from the open frame's hostname as `vhost:<name>`; others ignore it.
    hostname: `vhost:${endpoint.vhost}`,
    reconnect: false,
    // Without it Nagle and delayed ACKs add ~40 ms to a lone publish's settlement.
    tcp_no_delay: true,
    idle_time_out: 20_000,
    properties: { connection_name: options.connectionName },
  }
  const connectOptions = (
    tls
      ? {
          ...base,
          transport: 'tls',
          ...tls,
          ...(isIP(endpoint.host) ? {} : { servername: endpoint.host }),
        }
      : { ...base, transport: 'tcp' }
  ) as ConnectionOptions
  const connection = container.connect(connectOptions)
  return new Promise((resolve, reject) => {
    let settled = false
    const fail = (error: unknown) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      void closeConnection(connection, 0)
      reject(error instanceof Error ? error : new Error(describeAmqpError(error)))
    }
    const timer = setTimeout(
      () => fail(new Error(`connect timed out after ${options.timeoutMs} ms`)),
      options.timeoutMs,
    )
    connection.once('connection_open', () => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(connection)
    })
    connection.once('connection_error', (context: EventContext) => fail(context.connection.error))
    connection.once('connection_close', (context: EventContext) =>
      fail(context.connection.error ?? new Error('the broker closed the connection')),
    )
    connection.once('disconnected', (context: EventContext) =>
      fail(context.error ?? new Error('disconnected while connecting')),
    )
    connection.once('protocol_error', (error: unknown) => fail(error))
  })
}

/** rhea hands AMQP errors over as {condition, description} objects, not Error instances. */
export function describeAmqpError(error: unknown): string {
  if (error instanceof Error) return error.message
  if (error && typeof error === 'object') {
    const { condition, description } = error as { condition?: unknown; description?: unknown }
    if (condition || description) return [condition, description].filter(Boolean).join(': ')
  }
  return String(error)
}

export function errorCondition(error: unknown): string | undefined {
  const condition = (error as { condition?: unknown } | undefined)?.condition
  return typeof condition === 'string' ? condition : undefined
}

/**
 * Closes a connection and its socket. rhea clears its heartbeat timer only when it sees the
 * socket end; a socket destroyed before that leaves a timer that keeps the process alive for
 * twice the idle timeout, so the close waits for the peer (bounded), then makes sure.
 */
export async function closeConnection(connection: Connection, graceMs = 2_000): Promise<void> {
  const internal = connection as unknown as { socket?: Socket; _disconnected?: () => void }
  const socket = internal.socket
  const ended =
    socket && !socket.destroyed
      ? new Promise<void>((resolve) => {
          socket.once('close', () => resolve())
          setTimeout(resolve, graceMs).unref()
        })
      : Promise.resolve()
  try {
    connection.close()
  } catch {
    // Already closed.
  }
  await ended
  socket?.destroy()
  // Harmless when rhea already saw the end: it only clears timers once the connection is closed.
  internal._disconnected?.call(connection)
}
