import assert from 'node:assert/strict'
import { createServer, request as httpRequest } from 'node:http'
import { connect } from 'node:net'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { createHost } from '@plugboard/host'
import genericHttp from '@plugboard/plugin-generic-http'
import { definePlugin, PluginError, z } from '@plugboard/sdk'
import { startCcmSimulator, startHttpProviderSimulator, startTestHost } from '@plugboard/testkit'
import { Agent, request } from 'undici'
import { until } from './helpers/setup.js'

const TOKEN = 'operations-admin-token-42'

const broken = definePlugin({
  id: 'broken',
  channelTypes: ['GENERIC'],
  config: z.object({}),
  setup() {
    throw new Error('cannot reach the provider')
  },
})
const slow = definePlugin({
  id: 'slow',
  channelTypes: ['GENERIC'],
  config: z.object({}),
  setup: () => new Promise(() => undefined),
})
const refusing = definePlugin({
  id: 'refusing',
  channelTypes: ['GENERIC'],
  config: z.object({}),
  setup: () => ({
    async send() {
      throw PluginError.terminal('REJECTED', 'provider rejected it')
    },
  }),
})

test('one broken or hanging connector never stops the host; its state and error are visible', async () => {
  const ccm = await startCcmSimulator()
  const provider = await startHttpProviderSimulator()
  const t = await startTestHost({
    ccmUrl: ccm.url,
    plugins: [genericHttp, broken, slow],
    config: { admin: { token: TOKEN } },
    connectors: [
      { id: 'ok', plugin: 'generic-http', config: { outboundUrl: provider.outboundUrl } },
      { id: 'bad', plugin: 'broken' },
      { id: 'hangs', plugin: 'slow', bootTimeoutMs: 200 },
      { id: 'ghost', plugin: 'not-installed' },
    ],
    channels: [{ serviceIdentifier: '1', connector: 'ok' }],
  })
  try {
    const res = await fetch(`${t.url}/admin/connectors`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    })
    const { connectors } = (await res.json()) as {
      connectors: { id: string; state: string; lastError?: string }[]
    }
    const byId = Object.fromEntries(connectors.map((c) => [c.id, c]))
    assert.equal(byId.ok!.state, 'running')
    assert.equal(byId.bad!.state, 'failed')
    assert.match(byId.bad!.lastError!, /cannot reach the provider/)
    assert.equal(byId.hangs!.state, 'failed')
    assert.match(byId.hangs!.lastError!, /CONNECTOR_BOOT_TIMEOUT.*200 ms/)
    assert.match(byId.ghost!.lastError!, /PLUGIN_NOT_FOUND: no plugin with id 'not-installed'/)
    const ready = await fetch(`${t.url}/readyz`)
    assert.equal(ready.status, 200)
    assert.equal(((await ready.json()) as { failed: unknown[] }).failed.length, 3)
    const webhook = await fetch(`${t.url}/webhooks/bad/message`, { method: 'POST', body: '{}' })
    assert.equal(webhook.status, 503)
    assert.equal(
      ((await webhook.json()) as { error: { code: string } }).error.code,
      'CONNECTOR_UNAVAILABLE',
    )
    const unknown = await fetch(`${t.url}/webhooks/nope/message`, { method: 'POST', body: '{}' })
    assert.equal(unknown.status, 404)
  } finally {
    await t.stop()
    await Promise.all([ccm.close(), provider.close()])
  }
})

test('health, readiness, metrics and the admin API behind its token', async () => {
  const ccm = await startCcmSimulator()
  const t = await startTestHost({
    ccmUrl: ccm.url,
    plugins: [refusing],
    config: { admin: { token: TOKEN } },
    connectors: [{ id: 'r', plugin: 'refusing' }],
    channels: [{ serviceIdentifier: '9', connector: 'r' }],
  })
  try {
    assert.deepEqual(await (await fetch(`${t.url}/healthz`)).json(), { status: 'ok' })
    assert.equal((await fetch(`${t.url}/readyz`)).status, 200)
    assert.equal((await fetch(`${t.url}/admin/connectors`)).status, 401)
    assert.equal(
      (
        await fetch(`${t.url}/admin/connectors`, {
          headers: { authorization: 'Bearer wrong-token-wrong-token' },
        })
      ).status,
      401,
    )

    ccm.setHostUrl(t.url)
    await ccm.sendOutbound({ id: 'will-fail', serviceIdentifier: '9', customerId: 'c', text: 'x' })
    const auth = { authorization: `Bearer ${TOKEN}` }
    await until(async () => {
      const body = (await (await fetch(`${t.url}/admin/dlq`, { headers: auth })).json()) as {
        deadLetters: unknown[]
      }
      return body.deadLetters.length === 1
    }, 'the dead letter')
    const { deadLetters } = (await (
      await fetch(`${t.url}/admin/dlq`, { headers: auth })
    ).json()) as { deadLetters: { id: string; reason: string }[] }
    assert.equal(deadLetters[0]!.id, 'will-fail')
    assert.match(deadLetters[0]!.reason, /REJECTED provider rejected it/)
    const replay = await fetch(`${t.url}/admin/dlq/replay`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ ids: ['will-fail'] }),
    })
    assert.deepEqual(await replay.json(), { replayed: 1 })

    const metrics = await (await fetch(`${t.url}/metrics`)).text()
    for (const name of [
      'plugboard_messages_total',
      'plugboard_webhook_responses_total',
      'plugboard_retries_total',
      'plugboard_dead_letters_total',
      'plugboard_pipeline_latency_seconds_bucket',
      'plugboard_connector_up',
    ]) {
      assert.match(metrics, new RegExp(`^# TYPE ${name.replace(/_bucket$/, '')} `, 'm'), name)
    }
    assert.match(
      metrics,
      /plugboard_dead_letters_total\{connector="r",direction="outbound"\} [1-9]/,
    )
  } finally {
    await t.stop()
    await ccm.close()
  }
})

test('the admin API is off without ADMIN_TOKEN', async () => {
  const t = await startTestHost({})
  try {
    const res = await fetch(`${t.url}/admin/connectors`)
    assert.equal(res.status, 404)
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'ADMIN_DISABLED')
    const ready = await fetch(`${t.url}/readyz`)
    assert.equal(ready.status, 503, 'not ready without CCM_URL')
    assert.match(((await ready.json()) as { reason: string }).reason, /CCM_URL/)
  } finally {
    await t.stop()
  }
})

test('ENABLE_SSL serves HTTPS with the given key and certificate', async () => {
  const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url))
  const host = await createHost({
    config: {
      port: 0,
      host: '127.0.0.1',
      log: { level: 'silent' },
      store: { path: ':memory:' },
      plugins: { dirs: [], dependencies: false },
    },
    env: {
      ENABLE_SSL: 'true',
      SSL_KEY_PATH: `${fixtures}localhost.key`,
      SSL_CERT_PATH: `${fixtures}localhost.crt`,
    },
  })
  const url = await host.listen(0)
  try {
    assert.match(url, /^https:/)
    const res = await request(`${url}/healthz`, {
      dispatcher: new Agent({ connect: { rejectUnauthorized: false } }),
    })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(await res.body.json(), { status: 'ok' })
  } finally {
    await host.stop()
  }
})

test('USE_FORWARD_PROXY sends provider calls through the proxy', async () => {
  const tunnels: string[] = []
  const proxy = createServer((req, res) => {
    // Plain-HTTP proxying: forward the absolute-form request.
    tunnels.push(`GET-FORM ${req.url}`)
    const target = new URL(req.url!)
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: req.method,
        headers: req.headers,
      },
      (up) => {
        res.writeHead(up.statusCode!, up.headers)
        up.pipe(res)
      },
    )
    req.pipe(upstream)
  })
  proxy.on('connect', (req, client, head) => {
    tunnels.push(`CONNECT ${req.url}`)
    const [hostname, port] = String(req.url).split(':')
    const upstream = connect(Number(port), hostname!, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    upstream.on('error', () => client.destroy())
  })
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()))
  const proxyPort = (proxy.address() as { port: number }).port
  const ccm = await startCcmSimulator()
  const provider = await startHttpProviderSimulator()
  const host = await createHost({
    config: {
      port: 0,
      host: '127.0.0.1',
      log: { level: 'silent' },
      store: { path: ':memory:' },
      ccm: { url: ccm.url },
      plugins: { dirs: [], dependencies: false },
      connectors: [
        { id: 'px', plugin: 'generic-http', config: { outboundUrl: provider.outboundUrl } },
      ],
      channels: [{ serviceIdentifier: '5', connector: 'px' }],
    },
    plugins: [genericHttp],
    env: {
      USE_FORWARD_PROXY: 'true',
      FORWARD_PROXY_HOST: '127.0.0.1',
      FORWARD_PROXY_PORT: String(proxyPort),
    },
  })
  const url = await host.listen(0)
  try {
    ccm.setHostUrl(url)
    await ccm.sendOutbound({
      id: 'via-proxy',
      serviceIdentifier: '5',
      customerId: 'c',
      text: 'through the proxy',
    })
    await provider.waitFor((m) => m.idempotencyKey === 'via-proxy')
    const providerHost = new URL(provider.outboundUrl).host
    assert.ok(
      tunnels.some((t) => t.includes(providerHost)),
      `the provider call went through the proxy (saw: ${tunnels.join(', ')})`,
    )
    assert.ok(
      !tunnels.some((t) => t.includes(new URL(ccm.url).host)),
      'CCM calls do not use the provider proxy',
    )
  } finally {
    await host.stop()
    await Promise.all([ccm.close(), provider.close()])
    proxy.close()
  }
})
