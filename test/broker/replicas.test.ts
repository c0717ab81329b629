/**
 * Two host replicas as real processes, sharing RabbitMQ (the pipeline) and Redis (state): a
 * receipt arriving at the replica that did not send still becomes a DELIVERYNOTIFICATION, a
 * conversation stays in order while its messages come in through both, duplicates sent to both
 * are caught, and both replicas deliver.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { isBodyType } from '@plugboard/sdk'
import {
  type CcmSimulator,
  type HttpProviderSimulator,
  startCcmSimulator,
  startHttpProviderSimulator,
} from '@plugboard/testkit'
import { PLUGINS_DIR, writeConfig } from '../helpers/config-file.js'
import { type ProcessHost, startProcessHost } from '../helpers/process-host.js'
import { deleteQueues, pipelineConfig, replicaConfig, rosterSize, runId, until } from './helpers.js'

const SID = '3000'
const run = runId()
let ccm: CcmSimulator
let provider: HttpProviderSimulator
let a: ProcessHost
let b: ProcessHost

before(async () => {
  ccm = await startCcmSimulator()
  provider = await startHttpProviderSimulator()
  const { file } = writeConfig({
    port: 0,
    host: '127.0.0.1',
    ccm: { url: ccm.url },
    plugins: { dirs: [PLUGINS_DIR], dependencies: false },
    ...replicaConfig(run),
    pipeline: pipelineConfig(run, 4),
    connectors: [
      { id: 'web', plugin: 'generic-http', config: { outboundUrl: provider.outboundUrl } },
    ],
    channels: [{ serviceIdentifier: SID, connector: 'web' }],
  })
  ;[a, b] = await Promise.all([startProcessHost(file), startProcessHost(file)])
  for (const replica of [a, b]) {
    await until(async () => (await fetch(`${replica.url}/readyz`)).status === 200, 'ready')
  }
  await until(async () => (await rosterSize(run)) === 2, 'both replicas in the shard roster')
})

after(async () => {
  await Promise.all([a?.kill('SIGTERM'), b?.kill('SIGTERM')])
  await Promise.all([ccm?.close(), provider?.close()])
  await deleteQueues(run, ['web'])
})

const notification = (id: string) => (m: { body: unknown }) =>
  isBodyType(m.body as never, 'DELIVERYNOTIFICATION') &&
  (m.body as { messageId: string }).messageId === id

test('a receipt arriving at the other replica still becomes a DELIVERYNOTIFICATION', {
  timeout: 60_000,
}, async () => {
  ccm.setHostUrl(a.url)
  const answer = await ccm.sendOutbound({
    id: 'cross-1',
    serviceIdentifier: SID,
    customerId: '+15551001',
    text: 'sent through replica a',
  })
  assert.equal(answer.status, 200)
  const [sent] = await provider.waitFor((m) => m.idempotencyKey === 'cross-1', {
    timeoutMs: 20_000,
  })
  // The provider calls back on the other replica, which never saw the send.
  provider.setWebhookBase(`${b.url}/webhooks/web`)
  const receipt = await provider.sendStatus(sent!.providerId, 'delivered')
  assert.equal(receipt.status, 200)
  // `unknown` when it beat replica a's record of the send: kept in Redis, applied by whichever
  // replica comes second.
  assert.ok(['applied', 'unknown'].includes((receipt.body as { result: string }).result))
  const [note] = await ccm.waitFor(notification('cross-1'), { timeoutMs: 20_000 })
  assert.equal((note!.body as { status: string }).status, 'DELIVERED')
  assert.equal(note!.header.providerMessageId, sent!.providerId)
})

test('a conversation stays in order while its messages come in through both replicas', {
  timeout: 60_000,
}, async () => {
  for (let i = 0; i < 20; i++) {
    ccm.setHostUrl(i % 2 ? a.url : b.url)
    const answer = await ccm.sendOutbound({
      id: `order-${i}`,
      serviceIdentifier: SID,
      customerId: '+15551002',
      text: `order ${i}`,
    })
    assert.equal(answer.status, 200)
  }
  await provider.waitFor((m) => m.idempotencyKey.startsWith('order-'), {
    count: 20,
    timeoutMs: 30_000,
  })
  assert.deepEqual(
    provider.messages
      .filter((m) => m.idempotencyKey.startsWith('order-'))
      .map((m) => m.idempotencyKey),
    Array.from({ length: 20 }, (_, i) => `order-${i}`),
  )
})

test('a provider message sent to both replicas reaches CCM once', { timeout: 60_000 }, async () => {
  const inbound = { id: 'dup-1', from: '+15551003', to: SID, text: 'said once, posted twice' }
  provider.setWebhookBase(`${a.url}/webhooks/web`)
  const first = await provider.sendInbound(inbound)
  provider.setWebhookBase(`${b.url}/webhooks/web`)
  const second = await provider.sendInbound(inbound)
  assert.equal((first.body as { status: string }).status, 'accepted')
  assert.deepEqual(second.body, { status: 'duplicate', id: (first.body as { id: string }).id })
  await ccm.waitFor((m) => m.body.markdownText === inbound.text, { timeoutMs: 20_000 })
  assert.equal(ccm.messages.filter((m) => m.body.markdownText === inbound.text).length, 1)
})

test('both replicas deliver: the shards are shared', { timeout: 120_000 }, async () => {
  const delivered = async (replica: ProcessHost) => {
    const text = await (await fetch(`${replica.url}/metrics`)).text()
    let total = 0
    for (const line of text.split('\n')) {
      if (line.startsWith('plugboard_messages_total{') && line.includes('outcome="delivered"')) {
        total += Number(line.split(' ').pop())
      }
    }
    return total
  }
  const before = [await delivered(a), await delivered(b)]
  let round = 0
  // Each round spreads over 16 conversations (all four shards); shards move to their owner as
  // deliveries arrive on a replica that does not own them.
  await until(
    async () => {
      round++
      for (let c = 0; c < 16; c++) {
        ccm.setHostUrl(c % 2 ? a.url : b.url)
        await ccm.sendOutbound({
          id: `share-${round}-${c}`,
          serviceIdentifier: SID,
          customerId: `+1555200${c}`,
          text: `share ${round}`,
        })
      }
      await provider.waitFor((m) => m.text === `share ${round}`, { count: 16, timeoutMs: 30_000 })
      return (await delivered(a)) > before[0]! && (await delivered(b)) > before[1]!
    },
    'deliveries on both replicas',
    90_000,
  )
  const keys = provider.messages.filter((m) => m.idempotencyKey.startsWith('share-'))
  assert.equal(new Set(keys.map((m) => m.idempotencyKey)).size, keys.length, 'nothing sent twice')
})
