import type { Logger } from '@plugboard/sdk'
import { connectAmqp091 } from '../amqp091/connect.js'
import { createTopology, type QueueOptions, type Topology } from '../amqp091/topology.js'
import type { ParsedEndpoint } from '../connection/endpoint.js'
import { waitQueueName } from '../delay.js'
import type { ResolvedBrokerOptions } from '../options.js'

export interface RabbitTopology {
  declareQueues(queues: ({ name: string } & QueueOptions)[]): Promise<void>
  declareWaitQueue(target: string, bucketMs: number): Promise<string>
  /** Rejects with BROKER_UNROUTABLE when the queue does not exist (known queues pass at once). */
  checkQueue(name: string): Promise<void>
}

/**
 * Queue declarations for the 1.0 driver on RabbitMQ, made over a short-lived 0-9-1 connection to
 * the same endpoint (same port, credentials and TLS). RabbitMQ 3.x's AMQP 1.0 plugin can only
 * declare plain queues, through `/queue/<name>` addresses, and RabbitMQ 4 declares through its
 * HTTP-over-AMQP management API; wait queues need arguments (TTL, dead-letter target), and one
 * 0-9-1 path works on both versions. Each name is declared once per 1.0 connection.
 *
 * The same connection checks that a queue exists before the first send to it: RabbitMQ 3.x
 * accepts (and drops) a message sent to `/amq/queue/<missing>`, where 0-9-1's mandatory flag
 * would have returned it.
 */
export function createRabbitTopology(
  endpoint: ParsedEndpoint,
  settings: ResolvedBrokerOptions,
  connectionName: string,
  log: Logger,
): RabbitTopology {
  const declared = new Map<string, Promise<void>>()

  const withTopology = async (work: (topology: Topology) => Promise<void>): Promise<void> => {
    const connection = await connectAmqp091(endpoint, {
      timeoutMs: settings.connectTimeoutMs,
      ...(settings.tls ? { tls: settings.tls } : {}),
      connectionName: `${connectionName} (topology)`,
    })
    connection.on('error', () => {})
    try {
      await work(createTopology(connection, log))
    } finally {
      await connection.close().catch(() => {})
    }
  }

  const once = (name: string, declare: () => Promise<void>): Promise<void> => {
    let pending = declared.get(name)
    if (!pending) {
      pending = declare()
      declared.set(name, pending)
      pending.catch(() => declared.delete(name))
    }
    return pending
  }

  return {
    async declareQueues(queues) {
      const todo = queues.filter((q) => !declared.has(q.name))
      if (todo.length > 0) {
        const batch = withTopology(async (topology) => {
          for (const { name, ...options } of todo) await topology.declareQueue(name, options)
        })
        for (const { name } of todo) once(name, () => batch)
      }
      await Promise.all(queues.map((q) => declared.get(q.name)))
    },
    checkQueue(name) {
      return once(name, () => withTopology((topology) => topology.checkQueue(name)))
    },
    async declareWaitQueue(target, bucketMs) {
      const name = waitQueueName(target, bucketMs)
      await once(name, () =>
        withTopology(async (t) => void (await t.declareWaitQueue(target, bucketMs))),
      )
      return name
    },
  }
}
