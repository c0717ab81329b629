import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, test } from 'node:test'
import {
  type CcmSimulator,
  type HttpProviderSimulator,
  startCcmSimulator,
  startHttpProviderSimulator,
} from '@plugboard/testkit'
import { PLUGINS_DIR, writeConfig } from './helpers/config-file.js'
import { type ProcessHost, startProcessHost } from './helpers/process-host.js'

const SID = '2000'
let ccm: CcmSimulator
let provider: HttpProviderSimulator
let host: ProcessHost | undefined

after(async () => {
  if (host && host.child.exitCode === null) await host.kill('SIGKILL')
  await Promise.all([ccm?.close(), provider?.close()])
})

test('kill -9 mid-flow: after restart every accepted message is delivered exactly once', {
  timeout: 120_000,
}, async () => {
  ccm = await startCcmSimulator()
  provider = await startHttpProviderSimulator()
  const { file, dir } = writeConfig({
    port: 0,
    host: '127.0.0.1',
    ccm: { url: ccm.url },
    store: {
      path: join(
        await import('node:os').then((os) => os.tmpdir()),
        `crash-${process.pid}-${Date.now()}.db`,
      ),
    },
    plugins: { dirs: [PLUGINS_DIR], dependencies: false },
    pipeline: { retry: { baseDelayMs: 20, maxDelayMs: 200, maxAttempts: 1000 } },
    connectors: [
      { id: 'web', plugin: 'generic-http', config: { outboundUrl: provider.outboundUrl } },
    ],
    channels: [{ serviceIdentifier: SID, connector: 'web' }],
  })
  void dir
  host = await startProcessHost(file)
  provider.setWebhookBase(`${host.url}/webhooks/web`)
  ccm.setHostUrl(host.url)

  // Phase 1: normal flow; these must not come again after the restart.
  for (let i = 0; i < 20; i++) {
    const a = await provider.sendInbound({
      id: `p1-${i}`,
      from: `+1555${i % 4}`,
      to: SID,
      text: `p1-${i}`,
    })
    assert.equal(a.status, 200)
  }
  await ccm.waitFor((m) => String(m.body.markdownText).startsWith('p1-'), {
    count: 20,
    timeoutMs: 20_000,
  })

  // Phase 2: CCM and the provider refuse everything, so nothing is half-delivered when the host dies.
  ccm.setMode('down', { retryAfter: 0 })
  provider.setMode('down', { retryAfter: 0 })
  for (let i = 0; i < 10; i++) {
    const a = await ccm.sendOutbound({
      id: `agent-${i}`,
      serviceIdentifier: SID,
      customerId: '+15559',
      text: `agent ${i}`,
    })
    assert.equal(a.status, 200)
  }
  const accepted = new Set<string>()
  const unanswered: number[] = []
  const inflight = Array.from({ length: 40 }, (_, i) =>
    provider
      .sendInbound({ id: `p2-${i}`, from: `+1555${i % 4}`, to: SID, text: `p2-${i}` })
      .then((a) => {
        if (a.status === 200) accepted.add(`p2-${i}`)
        else unanswered.push(i)
      })
      .catch(() => unanswered.push(i)),
  )
  // Kill while requests are still arriving.
  while (accepted.size < 15) await new Promise((r) => setTimeout(r, 5))
  await host.kill('SIGKILL')
  await Promise.all(inflight)
  assert.ok(accepted.size >= 15)

  // Phase 3: restart on the same store; everything comes back up.
  host = await startProcessHost(file)
  provider.setWebhookBase(`${host.url}/webhooks/web`)
  ccm.setHostUrl(host.url)
  ccm.setMode('up')
  provider.setMode('up')
  // The provider retries what it never got an answer for, as real providers do; dedupe keeps it single.
  for (const i of unanswered) {
    const a = await provider.sendInbound({
      id: `p2-${i}`,
      from: `+1555${i % 4}`,
      to: SID,
      text: `p2-${i}`,
    })
    assert.equal(a.status, 200)
  }
  await ccm.waitFor((m) => String(m.body.markdownText).startsWith('p2-'), {
    count: 40,
    timeoutMs: 30_000,
  })
  await provider.waitFor((m) => m.idempotencyKey.startsWith('agent-'), {
    count: 10,
    timeoutMs: 30_000,
  })
  // Let any stray duplicate show up before counting.
  await new Promise((r) => setTimeout(r, 500))

  const counts = new Map<string, number>()
  for (const m of ccm.messages) {
    const t = String(m.body.markdownText)
    counts.set(t, (counts.get(t) ?? 0) + 1)
  }
  for (let i = 0; i < 20; i++) assert.equal(counts.get(`p1-${i}`), 1, `p1-${i} delivered once`)
  for (let i = 0; i < 40; i++) assert.equal(counts.get(`p2-${i}`), 1, `p2-${i} delivered once`)
  for (let i = 0; i < 10; i++)
    assert.equal(provider.received(`agent-${i}`), 1, `agent-${i} sent once`)
  const agentOrder = provider.messages
    .filter((m) => m.idempotencyKey.startsWith('agent-'))
    .map((m) => m.idempotencyKey)
  assert.deepEqual(
    agentOrder,
    Array.from({ length: 10 }, (_, i) => `agent-${i}`),
    'agent replies keep their order',
  )
  await host.kill('SIGTERM')
})
