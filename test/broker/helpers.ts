/** Shared pieces of the broker e2e tests: real RabbitMQ (5672 or a private node) and Redis. */
import { randomUUID } from 'node:crypto'
import { type Broker, createAmqp091Broker, createRedisStateStore } from '@plugboard/broker'
import { createLogger } from '@plugboard/core'
import type { Logger } from '@plugboard/sdk'
import amqp from 'amqplib'

export const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672'
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
export const log: Logger = createLogger({ level: process.env.LOG_LEVEL ?? 'silent' })

/** A fresh name space per test run: queue prefix and Redis key prefix. */
export function runId(): string {
  return `e2e${randomUUID().slice(0, 8)}`
}

/** Config keys that put a host's pipeline and state on RabbitMQ and Redis. */
export function replicaConfig(run: string, amqpUrl = AMQP_URL): Record<string, unknown> {
  return {
    broker: { primary: amqpUrl, timeoutMs: 5_000 },
    state: { backend: 'redis', url: REDIS_URL, keyPrefix: `${run}:` },
  }
}

export function pipelineConfig(run: string, shards = 4): Record<string, unknown> {
  return {
    backend: 'broker',
    shards,
    queuePrefix: run,
    drainTimeoutMs: 5_000,
    retry: { baseDelayMs: 50, maxDelayMs: 500, maxAttempts: 1000 },
  }
}

/** A client of the broker, as an application on the other side of AMQ would be. */
export async function appBroker(url = AMQP_URL): Promise<Broker> {
  const broker = createAmqp091Broker({
    protocol: 'amqp091',
    primary: { url },
    reconnect: { initialDelayMs: 100, maxDelayMs: 1_000 },
    log,
  })
  await broker.connect()
  return broker
}

/** The shard roster the replicas keep in Redis. */
export async function rosterSize(run: string): Promise<number> {
  const state = createRedisStateStore({ url: REDIS_URL, prefix: `${run}:` })
  try {
    const roster = await state.get<Record<string, number>>('pipeline-members', run)
    return Object.values(roster ?? {}).filter((until) => until > Date.now()).length
  } finally {
    await state.close()
  }
}

/** Deletes the queues a run declared (pipeline queues, their DLQs, and `extra`). */
export async function deleteQueues(
  run: string,
  connectors: string[],
  extra: string[] = [],
  url = AMQP_URL,
) {
  const connection = await amqp.connect(url)
  try {
    const channel = await connection.createChannel()
    const names = [`${run}.dead`, `${run}.unreadable`, ...extra]
    for (let shard = 0; shard < 8; shard++) {
      names.push(`${run}.inbound.${shard}`)
      for (const c of connectors) names.push(`${run}.outbound.${c}.${shard}`)
    }
    for (const name of names) {
      for (const q of [name, `${name}.dlq`]) await channel.deleteQueue(q)
    }
    await channel.close()
  } finally {
    await connection.close()
  }
}

export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
) {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}
