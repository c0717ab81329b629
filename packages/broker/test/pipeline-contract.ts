/**
 * The Pipeline contract for the broker-backed pipeline, run against any Broker: the in-memory one
 * for fast unit tests, RabbitMQ through each driver for acceptance. Conditions are waited for,
 * never timed.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, describe, it } from 'node:test'
import type { Job, PipelineHandlers, StateStore } from '@plugboard/core'
import { type CimMessage, inboundMessage, type Logger, PluginError, text } from '@plugboard/sdk'
import { pino } from 'pino'
import type { Broker } from '../src/broker.js'
import {
  type BrokerPipeline,
  type BrokerPipelineOptions,
  createBrokerPipeline,
} from '../src/pipeline/broker-pipeline.js'

export interface PipelineEnv {
  /** A new client connection to the broker under test. */
  connect(): Broker
  state: StateStore
  /** Restarts the broker (every connection drops and comes back). */
  restart?(): Promise<void>
  /** Removes what a test left on the broker under its queue prefix. */
  cleanup?(prefix: string): Promise<void>
}

export const silent: Logger = pino({ level: 'silent' }) as unknown as Logger
const fast = { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 4, maxAuthAttempts: 4 }

export const msg = (customer: string, body: string, id = randomUUID()): CimMessage =>
  inboundMessage({ serviceIdentifier: 'svc', customerId: customer, body: text(body), id })

export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 60_000,
) {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

/**
 * Records deliveries; `fail` decides per job whether this attempt throws. Like the host's
 * dispatcher with its sent markers, it sends a CIM id once: a publish retried after a lost confirm
 * may queue a message twice (at-least-once), and the marker is what keeps it from going out twice.
 */
export function recorder(fail: (job: Job) => Error | undefined = () => undefined) {
  const delivered: { text: string; id: string; replica: string }[] = []
  const dead: { id: string; reason: string }[] = []
  const sent = new Set<string>()
  const handlers = (replica = 'r'): PipelineHandlers => ({
    async deliver(job) {
      const error = fail(job)
      if (error) throw error
      if (sent.has(job.id)) return
      sent.add(job.id)
      delivered.push({ text: String(job.message.body.markdownText), id: job.id, replica })
    },
    onDead(job, reason) {
      dead.push({ id: job.id, reason })
    },
  })
  const texts = () => delivered.map((d) => d.text)
  const count = (t: string) => delivered.filter((d) => d.text === t).length
  return { delivered, dead, handlers, texts, count }
}

export function pipelineContract(name: string, env: () => PipelineEnv) {
  describe(`broker pipeline contract: ${name}`, () => {
    // A failed assertion skips a test's own close; these keep its connections from holding the
    // process open.
    const opened: (() => Promise<void>)[] = []
    after(async () => {
      for (const close of opened) await close().catch(() => undefined)
    })
    const open = (
      overrides: Partial<BrokerPipelineOptions> & { prefix: string },
    ): { pipeline: BrokerPipeline; broker: Broker; close(): Promise<void> } => {
      const e = env()
      const broker = e.connect()
      const pipeline = createBrokerPipeline({
        broker,
        state: e.state,
        log: silent,
        retry: fast,
        shards: 2,
        heartbeatMs: 100,
        memberTtlMs: 2_000,
        ...overrides,
      })
      const close = async () => {
        await pipeline.close()
        await broker.close()
        await e.cleanup?.(overrides.prefix)
      }
      opened.push(close)
      return { pipeline, broker, close }
    }
    const prefix = () => `t${randomUUID().slice(0, 8)}`

    it('submit resolves after the publish; each message is delivered once', async () => {
      const p = open({ prefix: prefix() })
      await p.broker.connect()
      const r = recorder()
      await p.pipeline.start(r.handlers())
      p.pipeline.resume('c1', 'outbound')
      for (let i = 0; i < 20; i++) {
        const result = await p.pipeline.submit({
          direction: i % 2 ? 'outbound' : 'inbound',
          connectorId: 'c1',
          message: msg(`cust-${i % 3}`, `m${i}`),
        })
        assert.equal(result.status, 'accepted')
      }
      await until(() => r.delivered.length === 20, '20 deliveries')
      for (let i = 0; i < 20; i++) assert.equal(r.count(`m${i}`), 1)
      await until(async () => (await p.pipeline.stats()).ready === 0, 'nothing held')
      await p.close()
    })

    it('keeps a conversation in order while its head is retried in place', async () => {
      const p = open({ prefix: prefix() })
      await p.broker.connect()
      let failures = 0
      const r = recorder((job) =>
        job.message.body.markdownText === 'a0' && failures++ < 3
          ? PluginError.retryable('DOWN', 'provider down')
          : undefined,
      )
      await p.pipeline.start(r.handlers())
      p.pipeline.resume('c1', 'outbound')
      for (let i = 0; i < 6; i++) {
        await p.pipeline.submit({
          direction: 'outbound',
          connectorId: 'c1',
          message: msg('a', `a${i}`),
        })
        await p.pipeline.submit({
          direction: 'outbound',
          connectorId: 'c1',
          message: msg('b', `b${i}`),
        })
      }
      await until(() => r.delivered.length === 12, '12 deliveries')
      const a = r.texts().filter((t) => t.startsWith('a'))
      const b = r.texts().filter((t) => t.startsWith('b'))
      assert.deepEqual(a, ['a0', 'a1', 'a2', 'a3', 'a4', 'a5'])
      assert.deepEqual(b, ['b0', 'b1', 'b2', 'b3', 'b4', 'b5'])
      assert.equal(failures, 4, 'three failed attempts, then the one that went through')
      await p.close()
    })

    it('dead-letters terminal failures with the reason; replay puts them back', async () => {
      const p = open({ prefix: prefix() })
      await p.broker.connect()
      let refuse = true
      const r = recorder((job) =>
        refuse && String(job.message.body.markdownText).startsWith('bad')
          ? PluginError.terminal('INVALID_NUMBER', 'the number does not exist')
          : undefined,
      )
      await p.pipeline.start(r.handlers())
      p.pipeline.resume('c1', 'outbound')
      p.pipeline.resume('c2', 'outbound')
      const bad1 = await p.pipeline.submit({
        direction: 'outbound',
        connectorId: 'c1',
        message: msg('x', 'bad1'),
      })
      await p.pipeline.submit({
        direction: 'outbound',
        connectorId: 'c2',
        message: msg('y', 'bad2'),
      })
      await p.pipeline.submit({
        direction: 'outbound',
        connectorId: 'c1',
        message: msg('x', 'good'),
      })
      await until(() => r.dead.length === 2 && r.delivered.length === 1, 'two dead, one delivered')
      assert.match(r.dead[0]!.reason, /^terminal: INVALID_NUMBER the number does not exist/)

      const all = await p.pipeline.listDead()
      assert.deepEqual(all.map((d) => d.message.body.markdownText).sort(), ['bad1', 'bad2'])
      const one = await p.pipeline.listDead({ connectorId: 'c1' })
      assert.equal(one.length, 1)
      assert.equal(one[0]!.id, bad1.id)
      assert.equal(one[0]!.attempts, 1)
      assert.match(one[0]!.reason, /INVALID_NUMBER/)
      assert.ok(one[0]!.deadAt > 0)
      assert.equal((await p.pipeline.listDead({ limit: 1 })).length, 1)
      assert.equal((await p.pipeline.listDead()).length, 2, 'listing takes nothing out')

      refuse = false
      assert.equal(await p.pipeline.replay([bad1.id]), 1)
      await until(() => r.count('bad1') === 1, 'bad1 delivered after replay')
      assert.deepEqual(
        (await p.pipeline.listDead()).map((d) => d.message.body.markdownText),
        ['bad2'],
      )
      assert.equal(await p.pipeline.replay(), 1)
      await until(() => r.count('bad2') === 1, 'bad2 delivered after replay')
      assert.deepEqual(await p.pipeline.listDead(), [])
      await p.close()
    })

    it('dead-letters a message once its retry budget is spent', async () => {
      const p = open({ prefix: prefix() })
      await p.broker.connect()
      const r = recorder(() => PluginError.retryable('DOWN', 'still down'))
      await p.pipeline.start(r.handlers())
      p.pipeline.resume('c1', 'outbound')
      await p.pipeline.submit({
        direction: 'outbound',
        connectorId: 'c1',
        message: msg('x', 'doomed'),
      })
      await until(() => r.dead.length === 1, 'dead letter')
      assert.match(r.dead[0]!.reason, /^gave up after 4 attempts: DOWN still down/)
      const [letter] = await p.pipeline.listDead()
      assert.equal(letter?.attempts, 4)
      await p.close()
    })

    it('de-duplicates inbound messages by their key', async () => {
      const p = open({ prefix: prefix() })
      await p.broker.connect()
      const r = recorder()
      await p.pipeline.start(r.handlers())
      const key = `c1\u0000${randomUUID()}`
      const first = await p.pipeline.submit({
        direction: 'inbound',
        connectorId: 'c1',
        message: msg('a', 'once'),
        dedupeKey: key,
      })
      const again = await p.pipeline.submit({
        direction: 'inbound',
        connectorId: 'c1',
        message: msg('a', 'once'),
        dedupeKey: key,
      })
      assert.deepEqual(again, { status: 'duplicate', id: first.id })
      await until(() => r.delivered.length === 1, 'one delivery')
      await p.pipeline.submit({
        direction: 'inbound',
        connectorId: 'c1',
        message: msg('a', 'after'),
      })
      await until(() => r.delivered.length === 2, 'the next message')
      assert.equal(r.count('once'), 1)
      await p.close()
    })

    it('pause holds a connector, resume and retryNow release it; other connectors go on', async () => {
      const p = open({ prefix: prefix() })
      await p.broker.connect()
      const r = recorder()
      await p.pipeline.start(r.handlers())
      p.pipeline.resume('c1', 'outbound')
      p.pipeline.resume('c2', 'outbound')
      p.pipeline.pause('c1', 'outbound')
      await p.pipeline.submit({
        direction: 'outbound',
        connectorId: 'c1',
        message: msg('a', 'held'),
      })
      await p.pipeline.submit({
        direction: 'outbound',
        connectorId: 'c2',
        message: msg('a', 'free'),
      })
      await until(() => r.count('free') === 1, 'the other connector')
      await until(async () => (await p.pipeline.stats()).ready === 1, 'the paused message held')
      assert.equal(r.count('held'), 0)
      p.pipeline.resume('c1', 'outbound')
      p.pipeline.retryNow('c1', 'outbound')
      await until(() => r.count('held') === 1, 'the paused connector after resume')
      await p.close()
    })

    it('refuses submissions after stopIntake and drains what it holds', async () => {
      const p = open({ prefix: prefix() })
      await p.broker.connect()
      const r = recorder()
      await p.pipeline.start(r.handlers())
      await p.pipeline.submit({
        direction: 'inbound',
        connectorId: 'c1',
        message: msg('a', 'before'),
      })
      await until(() => r.delivered.length === 1, 'delivery')
      p.pipeline.stopIntake()
      await assert.rejects(
        p.pipeline.submit({ direction: 'inbound', connectorId: 'c1', message: msg('a', 'after') }),
        /not accepting/,
      )
      assert.equal(await p.pipeline.drain(5_000), true)
      await p.close()
    })

    it('hands held messages back before the broker times the delivery out, keeping order', async () => {
      const p = open({
        prefix: prefix(),
        refreshAfterMs: 80,
        retry: { ...fast, maxAttempts: 1000 },
      })
      await p.broker.connect()
      let failing = true
      const r = recorder((job) =>
        failing && job.message.body.markdownText === 'h0'
          ? PluginError.retryable('DOWN', 'down', { retryAfterMs: 40 })
          : undefined,
      )
      await p.pipeline.start(r.handlers())
      p.pipeline.resume('c1', 'outbound')
      for (let i = 0; i < 3; i++) {
        await p.pipeline.submit({
          direction: 'outbound',
          connectorId: 'c1',
          message: msg('h', `h${i}`),
        })
      }
      // Long enough for several refresh rounds of every held message.
      await new Promise((resolve) => setTimeout(resolve, 400))
      assert.equal(r.delivered.length, 0)
      failing = false
      await until(() => r.delivered.length === 3, 'three deliveries')
      assert.deepEqual(r.texts(), ['h0', 'h1', 'h2'])
      await p.close()
    })

    it('holds no more than its prefetch when delivery is slow (back-pressure)', async () => {
      const p = open({ prefix: prefix(), prefetch: 5, lane: { concurrency: 2 } })
      await p.broker.connect()
      let gate!: () => void
      let open_ = new Promise<void>((resolve) => {
        gate = resolve
      })
      const r = recorder()
      const base = r.handlers()
      await p.pipeline.start({
        ...base,
        async deliver(job) {
          await open_
          await base.deliver(job)
        },
      })
      p.pipeline.resume('c1', 'outbound')
      for (let i = 0; i < 60; i++) {
        await p.pipeline.submit({
          direction: 'outbound',
          connectorId: 'c1',
          message: msg(`k${i}`, `s${i}`),
        })
      }
      await until(async () => {
        const s = await p.pipeline.stats()
        return s.ready + s.inFlight === 10
      }, 'both shards filled to their prefetch')
      const stats = await p.pipeline.stats()
      assert.equal(stats.inFlight, 2, 'the lane concurrency')
      assert.equal(
        stats.ready + stats.inFlight,
        10,
        'two shards × prefetch 5; the rest waits in the broker',
      )
      gate()
      open_ = Promise.resolve()
      await until(() => r.delivered.length === 60, 'all 60')
      await p.close()
    })

    it('two replicas share the shards; a conversation stays in order across them', async () => {
      const group = prefix()
      const a = open({ prefix: group, shards: 4, replicaId: 'replica-a' })
      const b = open({ prefix: group, shards: 4, replicaId: 'replica-b' })
      await Promise.all([a.broker.connect(), b.broker.connect()])
      const r = recorder()
      await a.pipeline.start(r.handlers('a'))
      a.pipeline.resume('c1', 'outbound')
      await b.pipeline.start(r.handlers('b'))
      b.pipeline.resume('c1', 'outbound')
      await until(
        () => a.pipeline.ownedShards().length === 2 && b.pipeline.ownedShards().length === 2,
        'an even deal of the shards',
      )
      const customers = Array.from({ length: 16 }, (_, i) => `cust-${i}`)
      let sent = 0
      for (let round = 0; round < 10; round++) {
        for (const c of customers) {
          const via = sent++ % 2 ? a : b
          await via.pipeline.submit({
            direction: 'outbound',
            connectorId: 'c1',
            message: msg(c, `${c}:${round}`),
          })
        }
      }
      await until(() => r.delivered.length === 160, '160 deliveries')
      for (const c of customers) {
        const seen = r.texts().filter((t) => t.startsWith(`${c}:`))
        assert.deepEqual(
          seen,
          Array.from({ length: 10 }, (_, i) => `${c}:${i}`),
          `${c} in order`,
        )
      }
      // Once the roster settled, each replica delivers its own shards.
      r.delivered.length = 0
      for (const c of customers) {
        await a.pipeline.submit({
          direction: 'outbound',
          connectorId: 'c1',
          message: msg(c, `${c}:late`),
        })
      }
      await until(() => r.delivered.length === 16, '16 more')
      assert.ok(
        r.delivered.some((d) => d.replica === 'a'),
        'replica a delivered some',
      )
      assert.ok(
        r.delivered.some((d) => d.replica === 'b'),
        'replica b delivered some',
      )
      await a.close()
      await b.close()
    })

    it('a replica that shuts down hands its shards over without losing or reordering', async () => {
      const group = prefix()
      const a = open({ prefix: group, shards: 2, replicaId: 'replica-a' })
      const b = open({ prefix: group, shards: 2, replicaId: 'replica-b' })
      await Promise.all([a.broker.connect(), b.broker.connect()])
      const r = recorder()
      await a.pipeline.start(r.handlers('a'))
      await b.pipeline.start(r.handlers('b'))
      const submits: Promise<unknown>[] = []
      for (let i = 0; i < 40; i++) {
        submits.push(
          b.pipeline.submit({
            direction: 'inbound',
            connectorId: 'c1',
            message: msg(`k${i % 4}`, `${i % 4}:${i}`),
          }),
        )
      }
      await Promise.all(submits)
      a.pipeline.stopIntake()
      await a.pipeline.drain(5_000)
      await a.close()
      await until(() => r.delivered.length >= 40, 'all 40')
      for (let k = 0; k < 4; k++) {
        const seen = r.texts().filter((t) => t.startsWith(`${k}:`))
        const expected = Array.from({ length: 10 }, (_, j) => `${k}:${k + 4 * j}`)
        assert.deepEqual(seen, expected, `conversation ${k} once each, in order`)
      }
      await b.close()
    })

    it('a replica shutting down while a conversation waits for a retry hands it over in order', async () => {
      const group = prefix()
      const replicas = {
        a: open({ prefix: group, shards: 2, replicaId: 'replica-a' }),
        b: open({ prefix: group, shards: 2, replicaId: 'replica-b' }),
      }
      await Promise.all([replicas.a.broker.connect(), replicas.b.broker.connect()])
      const r = recorder()
      // Whichever replica holds the conversation's shard first has its provider link down: the
      // head keeps failing there. Which one that is depends on when each joined, so the test
      // follows the head rather than assuming a replica.
      let failingOn: 'a' | 'b' | undefined
      const start = async (name: 'a' | 'b') => {
        const handlers = r.handlers(name)
        await replicas[name].pipeline.start({
          ...handlers,
          async deliver(job) {
            if (job.message.body.markdownText === 'w:0' && (failingOn ?? name) === name) {
              failingOn = name
              throw PluginError.retryable('DOWN', 'down', { retryAfterMs: 1_500 })
            }
            await handlers.deliver(job)
          },
        })
        replicas[name].pipeline.resume('c1', 'outbound')
      }
      await start('a')
      await start('b')
      for (let i = 0; i < 8; i++) {
        await replicas.b.pipeline.submit({
          direction: 'outbound',
          connectorId: 'c1',
          message: msg('w', `w:${i}`),
        })
      }
      await until(() => failingOn !== undefined, 'the head to fail once')
      const down = failingOn!
      const other = down === 'a' ? 'b' : 'a'
      replicas[down].pipeline.stopIntake()
      await replicas[down].pipeline.drain(5_000)
      await replicas[down].close()
      // The other replica keeps the backoff (the attempt record), then delivers the head and the rest behind it.
      await until(() => r.delivered.length === 8, `all 8 delivered by ${other}`)
      assert.deepEqual(
        r.texts(),
        Array.from({ length: 8 }, (_, i) => `w:${i}`),
      )
      assert.ok(r.delivered.every((d) => d.replica === other))
      await replicas[other].close()
    })

    it('loses nothing and sends nothing twice when the broker restarts mid-flow', async (t) => {
      const e = env()
      if (!e.restart) {
        t.skip('this broker cannot be restarted from the test')
        return
      }
      const p = open({ prefix: prefix() })
      await p.broker.connect()
      const r = recorder()
      await p.pipeline.start(r.handlers())
      p.pipeline.resume('c1', 'outbound')
      const ids: string[] = []
      const restarted = (async () => {
        await until(() => r.delivered.length >= 10, 'some deliveries before the restart')
        await e.restart!()
      })()
      for (let i = 0; i < 60; i++) {
        const message = msg(`k${i % 5}`, `r${i}`)
        for (;;) {
          try {
            const result = await p.pipeline.submit({
              direction: 'outbound',
              connectorId: 'c1',
              message,
            })
            ids.push(result.id)
            break
          } catch {
            // Refused while the broker is away: the caller retries, as a webhook sender would.
            await new Promise((resolve) => setTimeout(resolve, 50))
          }
        }
      }
      await restarted
      await until(() => new Set(r.texts()).size === 60, 'all 60 delivered', 60_000)
      for (let i = 0; i < 60; i++) assert.equal(r.count(`r${i}`), 1, `r${i} once`)
      await p.close()
    })
  })
}
