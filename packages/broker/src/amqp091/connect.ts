import { Socket } from 'node:net'
import amqp, { type ChannelModel } from 'amqplib'
import type { BrokerTls } from '../broker.js'
import type { ParsedEndpoint } from '../connection/endpoint.js'
import { readTls } from '../connection/tls.js'

export interface Amqp091ConnectOptions {
  timeoutMs: number
  tls?: BrokerTls
  /** Shown in the broker's management UI next to the connection. */
  connectionName: string
}

/**
 * Opens one AMQP 0-9-1 connection. Heartbeats are short (10 s) because a peer that vanished
 * without a TCP reset is otherwise noticed only after minutes, and failover waits on that.
 */
export async function connectAmqp091(
  endpoint: ParsedEndpoint,
  options: Amqp091ConnectOptions,
): Promise<ChannelModel> {
  const tls = endpoint.tls ? readTls(options.tls) : undefined
  const attempt = amqp.connect(
    {
      protocol: endpoint.tls ? 'amqps' : 'amqp',
      hostname: endpoint.host,
      port: endpoint.port,
      vhost: endpoint.vhost,
      heartbeat: 10,
      ...(endpoint.username !== undefined || endpoint.password !== undefined
        ? { username: endpoint.username ?? '', password: endpoint.password ?? '' }
        : {}),
    },
    {
      timeout: options.timeoutMs,
      // Without it Nagle and delayed ACKs add ~40 ms to a lone publish's confirm (p99 43 ms vs 4 ms).
      noDelay: true,
      clientProperties: { connection_name: options.connectionName },
      ...(tls ?? {}),
    },
  )
  // amqplib's socket timeout only covers idle time; this bounds the whole handshake.
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`connect timed out after ${options.timeoutMs} ms`)),
      options.timeoutMs,
    )
  })
  try {
    const model = await Promise.race([attempt, timeout])
    coalesceWrites(model)
    return model
  } catch (error) {
    attempt.then((late) => late.close().catch(() => {})).catch(() => {})
    throw error
  } finally {
    clearTimeout(timer)
  }
}

/**
 * amqplib writes every frame to the socket separately (a publish is three, an ack one). With
 * Nagle off that is one syscall and one TCP segment each; corking the socket for the rest of the
 * tick sends what one tick produced in a single write, without Nagle's delay.
 */
function coalesceWrites(model: ChannelModel): void {
  const socket = (model as unknown as { connection?: { stream?: unknown } }).connection?.stream
  if (!(socket instanceof Socket)) return
  const write = socket.write
  let corked = false
  socket.write = function (this: Socket, ...args: unknown[]) {
    if (!corked) {
      corked = true
      socket.cork()
      process.nextTick(() => {
        corked = false
        socket.uncork()
      })
    }
    return (write as (...a: unknown[]) => boolean).apply(this, args)
  } as typeof socket.write
}
