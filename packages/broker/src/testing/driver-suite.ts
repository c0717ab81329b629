/**
 * The behaviour both drivers must show against a real RabbitMQ, run by each driver's test file.
 * Two private nodes per file (primary A, secondary B): A is killed and restarted, so the shared
 * broker on 5672 is never disturbed. Every wait is for a condition, never for a fixed time,
 * except where a test proves that something does *not* happen.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { createLogger } from '@plugboard/core'
import type { Logger } from '@plugboard/sdk'
import amqp from 'amqplib'
import type { Broker, BrokerMessage, BrokerOptions, BrokerProtocol } from '../broker.js'
import { redactUrl } from '../connection/endpoint.js'
import { DEAD_LETTER_REASON, DEAD_LETTER_SOURCE } from '../dead-letter.js'
import { isBrokerError } from '../errors.js'
import { type RabbitNode, startRabbitNode } from './rabbit-node.js'
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js'

export type CreateBroker = (options: BrokerOptions & { log: Logger }) => Broker

const log = createLogger({ level: process.env.LOG_LEVEL ?? 'silent' })
const TEST_TIMEOUT = 180_000

export function runDriverSuite(protocol: BrokerProtocol, create: CreateBroker): void {
  describe(`${protocol} driver against RabbitMQ`, () => {
    let a: RabbitNode
    let b: RabbitNode
    const brokers: Broker[] = []
    const proxies: TcpProxy[] = []

    before(async () => {
      ;[a, b] = await Promise.all([startRabbitNode({ tls: true }), startRabbitNode()])
    })
    after(async () => {
      await Promise.all(brokers.map((broker) => broker.close().catch(() => {})))
      await Promise.all(proxies.map((proxy) => proxy.close()))
      const starts = [...(a?.startTimesMs ?? []), ...(b?.startTimesMs ?? [])]
      await Promise.all([a?.destroy(), b?.destroy()])
      // The suite's own cost, for keeping the CI budget in view.
      console.log(`# ${protocol}: ${starts.length} node starts, ms each: ${starts.join(', ')}`)
    })

    const open = (overrides: Partial<BrokerOptions> = {}): Broker => {
      const broker = create({
        protocol,
        primary: { url: a.url },
        connectTimeoutMs: 3_000,
        publishTimeoutMs: 10_000,
        reconnect: { initialDelayMs: 100, maxDelayMs: 1_000, probeIntervalMs: 300 },
        ...overrides,
        log,
      })
      brokers.push(broker)
      return broker
    }
    const queue = (name: string) => `t.${protocol}.${name}.${randomBytes(3).toString('hex')}`

    test('publishes with confirms and consumes with manual acks', {
      timeout: TEST_TIMEOUT,
    }, async () => {
      const broker = open()
      await broker.connect()
      assert.equal(broker.status().connected, true)
      assert.equal(broker.status().endpoint, redactUrl(a.url))
      assert.ok(!broker.status().endpoint?.includes('guest'), 'no credentials in status')
      const q = queue('basic')
      await broker.assertQueue({ name: q })
      const seen: BrokerMessage[] = []
      await broker.consume(q, (message) => {
        seen.push(message)
        message.ack()
      })
      const ids = Array.from({ length: 200 }, (_, i) => `basic-${i}`)
      await Promise.all(
        ids.map((id) =>
          broker.publish(q, JSON.stringify({ id }), {
            messageId: id,
            contentType: 'application/json',
            headers: { attempt: 1 },
          }),
        ),
      )
      await waitFor(() => seen.length >= ids.length, 'all messages consumed')
      assert.deepEqual(new Set(seen.map((m) => m.messageId)), new Set(ids))
      assert.equal(seen.length, ids.length, 'no duplicates without failures')
      const first = seen.find((m) => m.messageId === 'basic-0')!
      assert.equal(first.contentType, 'application/json')
      assert.equal(JSON.parse(first.body.toString()).id, 'basic-0')
      assert.equal(first.redelivered, false)
      assert.equal(first.headers.attempt, 1)
      await waitFor(async () => (await depth(a.url, q)) === 0, 'queue empty after acks')

      const error = await broker.publish(queue('missing'), 'x').catch((e: unknown) => e)
      assert.ok(
        isBrokerError(error, 'BROKER_UNROUTABLE'),
        `a missing queue rejects: ${String(error)}`,
      )
      await broker.close()
      const closed = await broker.publish(q, 'x').catch((e: unknown) => e)
      assert.ok(isBrokerError(closed, 'BROKER_CLOSED'))
    })

    test('connects over TLS with PEM files', { timeout: TEST_TIMEOUT }, async () => {
      const tls = a.tls!
      const broker = open({
        primary: { url: tls.url },
        tls: { caFile: tls.caFile, certFile: tls.certFile, keyFile: tls.keyFile },
      })
      await broker.connect()
      const q = queue('tls')
      await broker.assertQueue({ name: q })
      const got: string[] = []
      await broker.consume(q, (m) => {
        got.push(m.body.toString())
        m.ack()
      })
      await broker.publish(q, 'over tls')
      await waitFor(() => got.length === 1, 'TLS message consumed')
      assert.deepEqual(got, ['over tls'])

      const untrusted = open({ primary: { url: tls.url }, connectTimeoutMs: 2_000 })
      const failed = await Promise.race([
        untrusted.connect().then(() => 'connected'),
        waitFor(() => untrusted.status().lastError !== undefined, 'TLS refusal').then(
          () => 'refused',
        ),
      ])
      assert.equal(failed, 'refused', 'a server certificate from an unknown CA is refused')
      await untrusted.close()
    })

    test('a rejected message goes to the DLQ with its reason; consumption continues', {
      timeout: TEST_TIMEOUT,
    }, async () => {
      const broker = open()
      await broker.connect()
      const q = queue('poison')
      await broker.assertQueue({ name: q, deadLetterQueue: `${q}.dead` })
      const acked: string[] = []
      await broker.consume(q, (m) => {
        if (m.body.toString() === 'poison') m.reject('body is not JSON')
        else {
          acked.push(m.messageId!)
          m.ack()
        }
      })
      await broker.publish(q, 'ok', { messageId: 'p-1' })
      await broker.publish(q, 'poison', { messageId: 'p-2', headers: { tenant: 'acme' } })
      await broker.publish(q, 'ok', { messageId: 'p-3' })
      await waitFor(() => acked.length === 2, 'good messages acked')
      assert.deepEqual(acked, ['p-1', 'p-3'])
      await waitFor(async () => (await depth(a.url, `${q}.dead`)) === 1, 'poison on the DLQ')
      const dead = await new Promise<BrokerMessage>((resolve) => {
        void broker.consume(`${q}.dead`, (m) => {
          m.ack()
          resolve(m)
        })
      })
      assert.equal(dead.body.toString(), 'poison')
      assert.equal(dead.messageId, 'p-2')
      assert.equal(dead.headers[DEAD_LETTER_REASON], 'body is not JSON')
      assert.equal(dead.headers[DEAD_LETTER_SOURCE], q)
      assert.equal(dead.headers.tenant, 'acme', 'the original headers travel along')
      await waitFor(async () => (await depth(a.url, q)) === 0, 'source queue empty')
    })

    test('a slow consumer never has more than prefetch messages unsettled', {
      timeout: TEST_TIMEOUT,
    }, async () => {
      const broker = open({ prefetch: 50 })
      await broker.connect()
      const q = queue('prefetch')
      await broker.assertQueue({ name: q })
      const held: BrokerMessage[] = []
      let inFlight = 0
      let maxInFlight = 0
      await broker.consume(
        q,
        (m) => {
          inFlight++
          maxInFlight = Math.max(maxInFlight, inFlight)
          held.push(m)
        },
        { prefetch: 5 },
      )
      await Promise.all(Array.from({ length: 30 }, (_, i) => broker.publish(q, `m${i}`)))
      await waitFor(() => held.length === 5, 'prefetch filled')
      // Proving an absence needs a pause: nothing more may arrive while nothing is settled.
      await sleep(500)
      assert.equal(held.length, 5)
      let settled = 0
      while (settled < 30) {
        await waitFor(() => held.length > 0, 'next message')
        const m = held.shift()!
        inFlight--
        m.ack()
        settled++
      }
      assert.ok(maxInFlight <= 5, `at most 5 unsettled, saw ${maxInFlight}`)
    })

    test('a delayed publish arrives after its delay', { timeout: TEST_TIMEOUT }, async () => {
      const broker = open()
      await broker.connect()
      const q = queue('delay')
      await broker.assertQueue({ name: q })
      const arrivals: { body: string; at: number }[] = []
      await broker.consume(q, (m) => {
        arrivals.push({ body: m.body.toString(), at: Date.now() })
        m.ack()
      })
      const sentAt = Date.now()
      await broker.publish(q, 'later', { delayMs: 1_000, messageId: 'd-1' })
      await broker.publish(q, 'now')
      await waitFor(() => arrivals.length === 2, 'both messages')
      assert.deepEqual(
        arrivals.map((x) => x.body),
        ['now', 'later'],
      )
      assert.ok(arrivals[1]!.at - sentAt >= 1_000, `delayed by ${arrivals[1]!.at - sentAt} ms`)
    })

    test('settling on a dead connection is a no-op; the message is redelivered and credit restored', {
      timeout: TEST_TIMEOUT,
    }, async () => {
      const proxy = await startTcpProxy(a.port)
      proxies.push(proxy)
      const broker = open({ primary: { url: `amqp://guest:guest@127.0.0.1:${proxy.port}` } })
      await broker.connect()
      const q = queue('deadack')
      await broker.assertQueue({ name: q })
      const held: BrokerMessage[] = []
      const after: string[] = []
      let inFlight = 0
      let maxInFlight = 0
      await broker.consume(
        q,
        (m) => {
          if (m.messageId?.startsWith('after-')) {
            inFlight++
            maxInFlight = Math.max(maxInFlight, inFlight)
            setImmediate(() => {
              inFlight--
              after.push(m.messageId!)
              m.ack()
            })
          } else held.push(m)
        },
        { prefetch: 10 },
      )
      await broker.publish(q, 'hold me', { messageId: 'dead-1' })
      await waitFor(() => held.length === 1, 'first delivery')
      const reconnects = broker.status().reconnects
      const statuses: boolean[] = []
      broker.onStatus((s) => statuses.push(s.connected))
      proxy.cut()
      await waitFor(
        () => broker.status().connected && broker.status().reconnects > reconnects,
        'reconnected',
      )
      assert.ok(statuses.includes(false), 'onStatus reported the loss')
      held[0]!.ack()
      held[0]!.release()
      held[0]!.reject('too late')
      await waitFor(() => held.length === 2, 'redelivery')
      assert.equal(held[1]!.messageId, 'dead-1')
      assert.equal(held[1]!.redelivered, true)
      held[1]!.ack()
      // The consumer's prefetch (1.0: link credit) came back with the new connection.
      const ids = Array.from({ length: 60 }, (_, i) => `after-${i}`)
      await Promise.all(ids.map((id) => broker.publish(q, id, { messageId: id })))
      await waitFor(() => after.length === ids.length, 'consumption after reconnect')
      assert.ok(maxInFlight <= 10, `at most prefetch in flight, saw ${maxInFlight}`)
      await broker.close()
      assert.equal(await depth(a.url, q), 0, 'nothing left: the redelivered copy was acked')
    })

    test('broker killed and restarted mid-flow: nothing lost, duplicates carry their messageId', {
      timeout: TEST_TIMEOUT,
    }, async () => {
      const broker = open()
      await broker.connect()
      const q = queue('restart')
      await broker.assertQueue({ name: q })
      const ids = Array.from({ length: 400 }, (_, i) => `r-${i}`)
      const seen = new Map<string, number>()
      await broker.consume(
        q,
        (m) => {
          seen.set(m.messageId!, (seen.get(m.messageId!) ?? 0) + 1)
          m.ack()
        },
        { prefetch: 20 },
      )
      let rejected = 0
      const publishAll = async () => {
        let next = 0
        const worker = async () => {
          while (next < ids.length) {
            const id = ids[next++]!
            for (;;) {
              try {
                await broker.publish(q, id, { messageId: id })
                break
              } catch {
                rejected++
                await sleep(50)
              }
            }
            await sleep(2)
          }
        }
        await Promise.all(Array.from({ length: 4 }, worker))
      }
      const publishing = publishAll()
      await waitFor(() => seen.size >= 60, 'flow under way')
      await a.stop({ hard: true })
      await a.start()
      await publishing
      await waitFor(() => ids.every((id) => seen.has(id)), 'every message consumed', 120_000)
      assert.ok(rejected > 0, 'publishes were rejected while the broker was down')
      const unknown = [...seen.keys()].filter((id) => !ids.includes(id))
      assert.deepEqual(unknown, [])
      const duplicates = [...seen.values()].filter((n) => n > 1).length
      console.log(
        `# ${protocol} restart: ${rejected} rejected publishes retried, ${duplicates} duplicates (by messageId)`,
      )
    })

    test('fails over to the secondary and back to the primary (priority-backup)', {
      timeout: TEST_TIMEOUT,
    }, async () => {
      const broker = open({ secondary: { url: b.url }, priorityBackup: true })
      await broker.connect()
      assert.equal(broker.status().endpoint, redactUrl(a.url))
      const q = queue('failover')
      await broker.assertQueue({ name: q })
      const seen = new Set<string>()
      await broker.consume(q, (m) => {
        seen.add(m.messageId!)
        m.ack()
      })
      const publishBatch = async (prefix: string) => {
        const batch = Array.from({ length: 20 }, (_, i) => `${prefix}-${i}`)
        for (const id of batch) {
          for (;;) {
            try {
              await broker.publish(q, id, { messageId: id })
              break
            } catch {
              await sleep(50)
            }
          }
        }
        return batch
      }
      const onPrimary = await publishBatch('primary')
      await waitFor(() => onPrimary.every((id) => seen.has(id)), 'consumed on the primary')

      await a.stop({ hard: true })
      await waitFor(
        () => broker.status().connected && broker.status().endpoint === redactUrl(b.url),
        'on the secondary',
      )
      const onSecondary = await publishBatch('secondary')
      await waitFor(() => onSecondary.every((id) => seen.has(id)), 'consumed on the secondary')

      await a.start()
      await waitFor(
        () => broker.status().endpoint === redactUrl(a.url),
        'back on the primary',
        60_000,
      )
      const back = await publishBatch('back')
      await waitFor(() => back.every((id) => seen.has(id)), 'consumed after switching back')
      assert.equal(await depth(b.url, q), 0, 'nothing left behind on the secondary')
    })
  })
}

async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`)
    await sleep(25)
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Ready messages in a queue, seen through a separate 0-9-1 connection. */
async function depth(url: string, queue: string): Promise<number> {
  const connection = await amqp.connect(url)
  try {
    const channel = await connection.createChannel()
    return (await channel.checkQueue(queue)).messageCount
  } finally {
    await connection.close()
  }
}
