/**
 * The pipeline contract on real RabbitMQ through both drivers, with Redis as the shared state.
 * 0-9-1 runs on the shared broker (5672); 1.0 and the broker restarts run on a private node of
 * this file (it has the AMQP 1.0 plugin, and stopping it disturbs nobody). Queues live under a
 * random prefix per test and are deleted afterwards.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import amqp from 'amqplib'
import { msg, pipelineContract, recorder, silent, until } from '../../test/pipeline-contract.js'
import { createAmqp10Broker } from '../amqp10/broker.js'
import { createAmqp091Broker } from '../amqp091/broker.js'
import type { Broker, BrokerOptions } from '../broker.js'
import { createRedisStateStore } from '../state/redis-state-store.js'
import { type RabbitNode, startRabbitNode } from '../testing/rabbit-node.js'
import { createBrokerPipeline } from './broker-pipeline.js'

const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672'
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const state = createRedisStateStore({ url: REDIS_URL, prefix: `pb-test:${randomUUID()}:` })
let node: RabbitNode
before(async () => {
  await state.connect()
  node = await startRabbitNode()
})
after(async () => {
  await state.close()
  await node?.destroy()
})

type Create = (options: BrokerOptions & { log: typeof silent }) => Broker

const drivers: { protocol: BrokerOptions['protocol']; create: Create; url: () => string }[] = [
  { protocol: 'amqp091', create: createAmqp091Broker, url: () => AMQP_URL },
  { protocol: 'amqp10', create: createAmqp10Broker, url: () => node.url },
]

const open = (create: Create, url: string, protocol: BrokerOptions['protocol']) =>
  create({
    protocol,
    primary: { url },
    connectTimeoutMs: 5_000,
    reconnect: { initialDelayMs: 100, maxDelayMs: 1_000 },
    log: silent,
  })

/** Deletes every queue a contract test can have declared under `prefix`. */
async function deleteQueues(url: string, prefix: string) {
  const connection = await amqp.connect(url)
  try {
    const channel = await connection.createChannel()
    const names = [`${prefix}.dead`, `${prefix}.unreadable`]
    for (let shard = 0; shard < 4; shard++) {
      names.push(`${prefix}.inbound.${shard}`)
      for (const c of ['c1', 'c2']) names.push(`${prefix}.outbound.${c}.${shard}`)
    }
    for (const name of names) {
      for (const q of [name, `${name}.dlq`]) await channel.deleteQueue(q)
    }
    await channel.close()
  } finally {
    await connection.close()
  }
}

for (const { protocol, create, url } of drivers) {
  describe(`what the pipeline needs from the ${protocol} driver`, () => {
    it('declares single-active-consumer queues: one consumer at a time, the next takes over', async () => {
      const a = open(create, url(), protocol)
      const b = open(create, url(), protocol)
      await Promise.all([a.connect(), b.connect()])
      const queue = `t${randomUUID().slice(0, 8)}.sac`
      try {
        await a.assertQueue({ name: queue, singleActiveConsumer: true })
        const seen: string[] = []
        const first = await a.consume(queue, (m) => {
          seen.push(`a:${m.body}`)
          m.ack()
        })
        await b.consume(queue, (m) => {
          seen.push(`b:${m.body}`)
          m.ack()
        })
        for (let i = 0; i < 10; i++) await a.publish(queue, String(i))
        await until(() => seen.length === 10, 'ten deliveries')
        assert.deepEqual(
          seen,
          Array.from({ length: 10 }, (_, i) => `a:${i}`),
          'only the first consumer',
        )
        await first.cancel()
        await a.publish(queue, 'after')
        await until(() => seen.length === 11, 'the standby takes over')
        assert.equal(seen[10], 'b:after')
      } finally {
        await Promise.all([a.close(), b.close()])
        const connection = await amqp.connect(url())
        const channel = await connection.createChannel()
        for (const q of [queue, `${queue}.dlq`]) await channel.deleteQueue(q)
        await connection.close()
      }
    })
  })

  pipelineContract(`RabbitMQ through ${protocol}, Redis state`, () => ({
    connect: () => open(create, url(), protocol),
    state,
    cleanup: (prefix) => deleteQueues(url(), prefix),
  }))

  describe(`broker pipeline on a RabbitMQ node that restarts (${protocol})`, () => {
    it('loses nothing and sends nothing twice across a broker restart', {
      timeout: 180_000,
    }, async (t) => {
      const broker = open(create, node.url, protocol)
      t.after(() => broker.close())
      await broker.connect()
      const pipeline = createBrokerPipeline({
        broker,
        state,
        log: silent,
        prefix: `t${randomUUID().slice(0, 8)}`,
        shards: 2,
        retry: { baseDelayMs: 10, maxDelayMs: 200, maxAttempts: 1000 },
      })
      t.after(() => pipeline.close())
      const r = recorder()
      await pipeline.start(r.handlers())
      pipeline.resume('c1', 'outbound')
      const restarted = (async () => {
        await until(() => r.delivered.length >= 20, 'deliveries before the restart', 60_000)
        await node.stop()
        await node.start()
      })()
      for (let i = 0; i < 150; i++) {
        // The same CIM message on every try, as CCM posts it again after a 503.
        const message = msg(`k${i % 7}`, `r${i}`)
        for (;;) {
          try {
            await pipeline.submit({ direction: 'outbound', connectorId: 'c1', message })
            break
          } catch {
            // Refused while the broker is away; a webhook sender would retry too.
            await new Promise((resolve) => setTimeout(resolve, 100))
          }
        }
      }
      await restarted
      await until(() => new Set(r.texts()).size === 150, 'all 150 delivered', 120_000)
      for (let i = 0; i < 150; i++) assert.equal(r.count(`r${i}`), 1, `r${i} delivered once`)
      for (let k = 0; k < 7; k++) {
        const seen = r
          .texts()
          .filter((t) => Number(t.slice(1)) % 7 === k)
          .map((t) => Number(t.slice(1)))
        assert.deepEqual(
          seen,
          [...seen].sort((x, y) => x - y),
          `conversation k${k} in order`,
        )
      }
      await pipeline.close()
      await broker.close()
    })
  })
}
