import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createLogger } from '@plugboard/core'
import { isBrokerError } from '../errors.js'
import { parseEndpoint } from './endpoint.js'
import { createStatusCell } from './status.js'
import { createSupervisor, type Link } from './supervisor.js'

const log = createLogger({ level: 'silent' })
const endpoints = [
  parseEndpoint({ url: 'amqp://u:p@a:5672' }),
  parseEndpoint({ url: 'amqp://u:p@b:5672' }),
]

interface FakeLink extends Link {
  drop(): void
  retired: boolean
}

/** Endpoints that are up or down on demand; links that can be dropped. */
function fakeBroker() {
  const up = [true, true]
  const opened: FakeLink[] = []
  const open = async (_: unknown, index: number): Promise<FakeLink> => {
    await new Promise((r) => setImmediate(r))
    if (!up[index]) throw new Error(`ECONNREFUSED ${index}`)
    let drop!: () => void
    const closed = new Promise<Error | undefined>((resolve) => {
      drop = () => resolve(new Error('socket closed'))
    })
    const link: FakeLink = {
      endpointIndex: index,
      closed,
      retired: false,
      drop,
      close: async () => drop(),
    }
    opened.push(link)
    return link
  }
  return { up, opened, open }
}

function supervise(
  broker: ReturnType<typeof fakeBroker>,
  options: { priorityBackup?: boolean; randomize?: boolean } = {},
) {
  const status = createStatusCell()
  const activated: number[] = []
  const supervisor = createSupervisor<FakeLink>({
    endpoints,
    priorityBackup: options.priorityBackup ?? false,
    randomize: options.randomize ?? false,
    backoff: { initialDelayMs: 5, maxDelayMs: 20 },
    probeIntervalMs: 10,
    log,
    status,
    open: broker.open,
    activate: (link) => activated.push(link.endpointIndex),
    retire: async (link) => {
      link.retired = true
      await link.close()
    },
  })
  return { supervisor, status, activated }
}

async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 5))
  }
}

test('fails over to the secondary when the primary does not answer', async () => {
  const broker = fakeBroker()
  broker.up[0] = false
  const { supervisor, status } = supervise(broker)
  await supervisor.connect()
  assert.equal(supervisor.current()?.endpointIndex, 1)
  assert.equal(status.get().endpoint, 'amqp://b:5672', 'credentials stripped')
  assert.match(status.get().lastError ?? '', /amqp:\/\/a:5672: ECONNREFUSED/)
  await supervisor.close()
})

test('reconnects after a drop, with backoff, and counts it', async () => {
  const broker = fakeBroker()
  const { supervisor, status } = supervise(broker)
  const seen: boolean[] = []
  status.subscribe((s) => {
    if (seen.at(-1) !== s.connected) seen.push(s.connected)
  })
  await supervisor.connect()
  broker.up[0] = false
  broker.up[1] = false
  supervisor.current()!.drop()
  await waitFor(() => !status.get().connected)
  await new Promise((r) => setTimeout(r, 50))
  assert.equal(status.get().connected, false, 'stays down while no endpoint answers')
  broker.up[1] = true
  await waitFor(() => status.get().connected)
  assert.equal(supervisor.current()?.endpointIndex, 1)
  assert.equal(status.get().reconnects, 1)
  assert.deepEqual(seen, [true, false, true])
  await supervisor.close()
})

test('without priority-backup it stays on the endpoint that works', async () => {
  const broker = fakeBroker()
  broker.up[0] = false
  const { supervisor, status } = supervise(broker)
  await supervisor.connect()
  broker.up[0] = true
  supervisor.current()!.drop()
  await waitFor(() => status.get().reconnects === 1)
  assert.equal(supervisor.current()?.endpointIndex, 1)
  await supervisor.close()
})

test('priority-backup returns to the primary as soon as it answers, retiring the secondary link', async () => {
  const broker = fakeBroker()
  broker.up[0] = false
  const { supervisor, activated } = supervise(broker, { priorityBackup: true })
  await supervisor.connect()
  const onSecondary = supervisor.current()!
  assert.equal(onSecondary.endpointIndex, 1)
  broker.up[0] = true
  await waitFor(() => supervisor.current()?.endpointIndex === 0)
  assert.equal(onSecondary.retired, true)
  assert.deepEqual(activated, [1, 0])
  await supervisor.close()
})

test('randomize spreads the first pick over both endpoints', async () => {
  const picks = new Set<number>()
  for (let i = 0; i < 30 && picks.size < 2; i++) {
    const { supervisor } = supervise(fakeBroker(), { randomize: true })
    await supervisor.connect()
    picks.add(supervisor.current()!.endpointIndex)
    await supervisor.close()
  }
  assert.deepEqual([...picks].sort(), [0, 1])
})

test('close before the first connection rejects connect()', async () => {
  const broker = fakeBroker()
  broker.up[0] = false
  broker.up[1] = false
  const { supervisor } = supervise(broker)
  const connecting = supervisor.connect()
  await supervisor.close()
  await assert.rejects(connecting, (e: unknown) => isBrokerError(e, 'BROKER_CLOSED'))
})
