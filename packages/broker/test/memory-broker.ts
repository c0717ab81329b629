/**
 * An in-memory stand-in for RabbitMQ, for fast unit tests of what sits on the Broker interface.
 * It keeps the parts of RabbitMQ's model the pipeline depends on: FIFO queues, prefetch, requeue
 * to the original position, single-active-consumer, atomic requeue when a connection goes away,
 * and a settle on a dead connection being a no-op. Acceptance tests run against real RabbitMQ.
 */
import { randomUUID } from 'node:crypto'
import type {
  Broker,
  BrokerMessage,
  BrokerStatus,
  ConsumeOptions,
  PublishOptions,
  QueueSpec,
} from '../src/broker.js'

interface Stored {
  seq: number
  body: Buffer
  messageId: string
  contentType?: string
  headers: Record<string, unknown>
  redelivered: boolean
}

interface Sub {
  client: Client
  queue: string
  handler: (message: BrokerMessage) => void | Promise<void>
  prefetch: number
  unacked: Set<Stored>
}

interface Queue {
  spec: QueueSpec
  ready: Stored[]
  subs: Sub[]
}

interface Client {
  connected: boolean
  epoch: number
  subs: Set<Sub>
  listeners: Set<(s: BrokerStatus) => void>
  reconnects: number
}

export interface MemoryServer {
  connect(options?: { prefetch?: number }): Broker
  /** Ready (undelivered) and unacked counts of a queue. */
  depth(queue: string): { ready: number; unacked: number }
  /** Bodies of the ready messages, in queue order. */
  peek(queue: string): Buffer[]
  /** Drops every connection (requeueing what they held) and reconnects them after `downMs`. */
  restart(downMs?: number): Promise<void>
}

export function createMemoryServer(): MemoryServer {
  const queues = new Map<string, Queue>()
  const clients = new Set<Client>()
  let seq = 0

  const queueOf = (name: string): Queue => {
    let q = queues.get(name)
    if (!q) {
      q = { spec: { name }, ready: [], subs: [] }
      queues.set(name, q)
    }
    return q
  }

  const requeue = (q: Queue, stored: Stored) => {
    stored.redelivered = true
    const at = q.ready.findIndex((m) => m.seq > stored.seq)
    if (at < 0) q.ready.push(stored)
    else q.ready.splice(at, 0, stored)
  }

  const enqueue = (name: string, stored: Stored) => {
    const q = queues.get(name)
    if (!q) throw new Error(`memory broker: no queue ${name}`)
    q.ready.push(stored)
    dispatch(q)
  }

  const dispatching = new Set<Queue>()
  const dispatch = (q: Queue) => {
    // Deliveries go out on a later turn, as they would over a socket.
    if (dispatching.has(q)) return
    dispatching.add(q)
    setImmediate(() => {
      dispatching.delete(q)
      pump(q)
    })
  }

  const pump = (q: Queue) => {
    const eligible = () => {
      const live = q.subs.filter((s) => s.client.connected)
      return q.spec.singleActiveConsumer ? live.slice(0, 1) : live
    }
    let progressed = true
    while (q.ready.length > 0 && progressed) {
      progressed = false
      for (const sub of eligible()) {
        if (q.ready.length === 0) break
        if (sub.unacked.size >= sub.prefetch) continue
        const stored = q.ready.shift()!
        sub.unacked.add(stored)
        progressed = true
        deliver(q, sub, stored)
      }
    }
  }

  const deliver = (q: Queue, sub: Sub, stored: Stored) => {
    const epoch = sub.client.epoch
    let settled = false
    const settle = (fn: () => void) => {
      if (settled) return
      settled = true
      if (sub.client.epoch !== epoch || !sub.unacked.has(stored)) return
      sub.unacked.delete(stored)
      fn()
      dispatch(q)
    }
    const message: BrokerMessage = {
      body: stored.body,
      messageId: stored.messageId,
      ...(stored.contentType ? { contentType: stored.contentType } : {}),
      headers: { ...stored.headers },
      redelivered: stored.redelivered,
      ack: () => settle(() => undefined),
      release: () => settle(() => requeue(q, stored)),
      reject: (reason) =>
        settle(() => {
          const dlq = q.spec.deadLetterQueue ?? `${q.spec.name}.dlq`
          queueOf(dlq)
          enqueue(dlq, {
            ...stored,
            seq: ++seq,
            redelivered: false,
            headers: { ...stored.headers, 'x-dead-letter-reason': reason },
          })
        }),
    }
    void Promise.resolve()
      .then(() => sub.handler(message))
      .catch(() => message.release())
  }

  const dropClient = (client: Client) => {
    client.connected = false
    client.epoch++
    for (const sub of client.subs) {
      const q = queueOf(sub.queue)
      for (const stored of [...sub.unacked].sort((a, b) => a.seq - b.seq)) requeue(q, stored)
      sub.unacked.clear()
    }
  }

  const emit = (client: Client) => {
    const status: BrokerStatus = { connected: client.connected, reconnects: client.reconnects }
    for (const l of client.listeners) l(status)
  }

  return {
    connect(options = {}) {
      const client: Client = {
        connected: false,
        epoch: 0,
        subs: new Set(),
        listeners: new Set(),
        reconnects: 0,
      }
      clients.add(client)
      const prefetch = options.prefetch ?? 50
      const broker: Broker = {
        protocol: 'amqp091',
        async connect() {
          client.connected = true
          emit(client)
        },
        async assertQueue(spec) {
          const q = queueOf(spec.name)
          q.spec = { ...q.spec, ...spec }
          queueOf(spec.deadLetterQueue ?? `${spec.name}.dlq`)
        },
        async publish(queue: string, body: Buffer | string, opts: PublishOptions = {}) {
          if (!client.connected) throw new Error('memory broker: not connected')
          const stored: Stored = {
            seq: ++seq,
            body: typeof body === 'string' ? Buffer.from(body) : body,
            messageId: opts.messageId ?? randomUUID(),
            ...(opts.contentType ? { contentType: opts.contentType } : {}),
            headers: { ...opts.headers },
            redelivered: false,
          }
          if (opts.delayMs && opts.delayMs > 0) {
            setTimeout(() => enqueue(queue, stored), opts.delayMs).unref()
          } else enqueue(queue, stored)
        },
        async consume(queue, handler, consumeOptions: ConsumeOptions = {}) {
          const q = queueOf(queue)
          const sub: Sub = {
            client,
            queue,
            handler,
            prefetch: consumeOptions.prefetch ?? prefetch,
            unacked: new Set(),
          }
          client.subs.add(sub)
          q.subs.push(sub)
          dispatch(q)
          return {
            async cancel() {
              client.subs.delete(sub)
              q.subs = q.subs.filter((s) => s !== sub)
              dispatch(q)
            },
          }
        },
        status: () => ({ connected: client.connected, reconnects: client.reconnects }),
        onStatus(listener) {
          client.listeners.add(listener)
          return () => client.listeners.delete(listener)
        },
        async close() {
          if (!clients.has(client)) return
          clients.delete(client)
          dropClient(client)
          for (const sub of client.subs) {
            const q = queueOf(sub.queue)
            q.subs = q.subs.filter((s) => s !== sub)
            dispatch(q)
          }
          client.subs.clear()
        },
      }
      return broker
    },

    depth(name) {
      const q = queueOf(name)
      return {
        ready: q.ready.length,
        unacked: q.subs.reduce((n, s) => n + s.unacked.size, 0),
      }
    },

    peek(name) {
      return queueOf(name).ready.map((m) => m.body)
    },

    async restart(downMs = 20) {
      const all = [...clients]
      for (const client of all) {
        dropClient(client)
        emit(client)
      }
      await new Promise((r) => setTimeout(r, downMs))
      // Consumers come back in the order they were started, like a driver replaying them.
      for (const client of all) {
        client.connected = true
        client.reconnects++
        emit(client)
      }
      for (const q of queues.values()) dispatch(q)
    },
  }
}
