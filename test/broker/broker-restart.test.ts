/**
 * The broker restarts while two replicas are busy: messages accepted before, during and after
 * the outage are all delivered, none is sent twice, conversations keep their order, and /readyz
 * reports the outage. Runs on a private RabbitMQ node, so the shared broker is never stopped.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type RabbitNode, startRabbitNode } from '@plugboard/broker/testing'
import {
  type CcmSimulator,
  type HttpProviderSimulator,
  startCcmSimulator,
  startHttpProviderSimulator,
} from '@plugboard/testkit'
import { PLUGINS_DIR, writeConfig } from '../helpers/config-file.js'
import { type ProcessHost, startProcessHost } from '../helpers/process-host.js'
import { pipelineConfig, replicaConfig, rosterSize, runId, until } from './helpers.js'

const SID = '4000'
const run = runId()
let node: RabbitNode
let ccm: CcmSimulator
let provider: HttpProviderSimulator
let replicas: ProcessHost[] = []

before(async () => {
  node = await startRabbitNode()
  ccm = await startCcmSimulator()
  provider = await startHttpProviderSimulator()
  const { file } = writeConfig({
    port: 0,
    host: '127.0.0.1',
    ccm: { url: ccm.url },
    plugins: { dirs: [PLUGINS_DIR], dependencies: false },
    ...replicaConfig(run, node.url),
    pipeline: pipelineConfig(run, 2),
    connectors: [
      { id: 'web', plugin: 'generic-http', config: { outboundUrl: provider.outboundUrl } },
    ],
    channels: [{ serviceIdentifier: SID, connector: 'web' }],
  })
  replicas = await Promise.all([startProcessHost(file), startProcessHost(file)])
  await until(async () => (await rosterSize(run)) === 2, 'both replicas in the roster')
  provider.setWebhookBase(`${replicas[1]!.url}/webhooks/web`)
})

after(async () => {
  await Promise.all(replicas.map((r) => r.kill('SIGTERM')))
  await Promise.all([ccm?.close(), provider?.close()])
  await node?.destroy()
})

const readyz = async (replica: ProcessHost) => {
  const res = await fetch(`${replica.url}/readyz`)
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

/** Posts like CCM does: again after a refusal, until the host took it. */
async function postUntilAccepted(post: () => Promise<{ status: number }>) {
  for (;;) {
    const answer = await post().catch(() => ({ status: 0 }))
    if (answer.status === 200) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

test('a broker restart mid-flow loses nothing and sends nothing twice', {
  timeout: 240_000,
}, async () => {
  const customers = Array.from({ length: 6 }, (_, c) => `+1555300${c}`)
  const outage = (async () => {
    await provider.waitFor((m) => m.idempotencyKey.startsWith('flow-'), {
      count: 15,
      timeoutMs: 60_000,
    })
    await node.stop()
    await until(
      async () => (await readyz(replicas[0]!)).status === 503,
      'not ready while the broker is down',
    )
    const { body } = await readyz(replicas[0]!)
    assert.equal(body.reason, 'broker disconnected')
    await node.start()
    await until(async () => (await readyz(replicas[0]!)).status === 200, 'ready again', 60_000)
  })()

  for (let i = 0; i < 90; i++) {
    const replica = replicas[i % 2]!
    ccm.setHostUrl(replica.url)
    await postUntilAccepted(() =>
      ccm.sendOutbound({
        id: `flow-${i}`,
        serviceIdentifier: SID,
        customerId: customers[i % customers.length]!,
        text: `flow ${i}`,
      }),
    )
    if (i % 3 === 0) {
      await postUntilAccepted(() =>
        provider.sendInbound({ id: `in-${i}`, from: customers[0]!, to: SID, text: `in ${i}` }),
      )
    }
  }
  await outage

  await provider.waitFor((m) => m.idempotencyKey.startsWith('flow-'), {
    count: 90,
    timeoutMs: 120_000,
  })
  await ccm.waitFor((m) => String(m.body.markdownText).startsWith('in '), {
    count: 30,
    timeoutMs: 120_000,
  })
  for (let i = 0; i < 90; i++)
    assert.equal(provider.received(`flow-${i}`), 1, `flow-${i} sent once`)
  for (const customer of customers) {
    const sent = provider.messages
      .filter((m) => m.to === customer)
      .map((m) => Number(m.idempotencyKey.slice(5)))
    assert.deepEqual(
      sent,
      [...sent].sort((x, y) => x - y),
      `${customer} in order`,
    )
  }
  const inbound = ccm.messages.filter((m) => String(m.body.markdownText).startsWith('in '))
  assert.equal(
    new Set(inbound.map((m) => m.body.markdownText)).size,
    30,
    'every inbound message arrived',
  )
})
