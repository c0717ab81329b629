import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { startCcmSimulator, startHttpProviderSimulator } from '@plugboard/testkit'
import { PLUGINS_DIR, writeConfig } from './helpers/config-file.js'
import { startProcessHost } from './helpers/process-host.js'

const bin = fileURLToPath(new URL('../host/bin/plugboard.js', import.meta.url))
const root = fileURLToPath(new URL('..', import.meta.url))

function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...env },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('exit', (code) => resolve({ code, stdout, stderr }))
  })
}

test('check-config passes a good file and names the file, path and fix for a bad one', async () => {
  const good = writeConfig({
    plugins: { dirs: [PLUGINS_DIR] },
    connectors: [
      { id: 'web', plugin: 'generic-http', config: { outboundUrl: 'https://example.com/send' } },
    ],
    channels: [{ serviceIdentifier: '1', connector: 'web' }],
  })
  const ok = await cli(['check-config', '--config', good.file])
  assert.equal(ok.code, 0, ok.stderr)
  assert.match(ok.stdout, /ok \(1 connectors, 1 channels\)/)

  const bad = writeConfig({
    plugins: { dirs: [PLUGINS_DIR] },
    connectors: [{ id: 'web', plugin: 'generic-http', config: { outboundUrl: 'ftp://nope' } }],
    channels: [{ serviceIdentifier: '1', connector: 'web' }],
  })
  const failed = await cli(['check-config', '--config', bad.file])
  assert.equal(failed.code, 1)
  assert.ok(failed.stderr.includes(`${bad.file}: connectors[0].config.outboundUrl:`), failed.stderr)

  const missing = await cli(['check-config'], { PLUGBOARD_CONFIG: '/no/such/file.yaml' })
  assert.equal(missing.code, 1)
  assert.match(missing.stderr, /CONFIG_NOT_FOUND[\s\S]*fix: Pass --config FILE/)
})

test('plugins lists each plugin with its webhooks and Unified Admin attribute table', async () => {
  const json = await cli(['plugins', '--json'])
  assert.equal(json.code, 0, json.stderr)
  const { plugins } = JSON.parse(json.stdout) as {
    plugins: {
      id: string
      webhooks: { url: string }[]
      attributes: { key: string; secret: boolean }[]
    }[]
  }
  const generic = plugins.find((p) => p.id === 'generic-http')!
  assert.ok(generic.webhooks.some((w) => w.url === '/webhooks/{connectorId}/message'))
  assert.deepEqual(
    generic.attributes.map((a) => [a.key, a.secret]),
    [
      ['HTTP-OUTBOUND-URL', false],
      ['HTTP-SHARED-SECRET', true],
      ['HTTP-TIMEOUT-MS', false],
    ],
  )
  const text = await cli(['plugins'])
  assert.match(text.stdout, /generic-http +Generic HTTP\/JSON/)
  assert.match(text.stdout, /HTTP-SHARED-SECRET.*\(secret\)/)
})

test('SIGTERM drains and exits cleanly; dlq list and replay work on the store; secrets stay out of the logs', {
  timeout: 90_000,
}, async () => {
  const ccm = await startCcmSimulator()
  const provider = await startHttpProviderSimulator({ secret: 'super-secret-value-123' })
  const { file, dir } = writeConfig({})
  const store = join(dir, 'store.db')
  writeFileSync(
    file,
    JSON.stringify({
      port: 0,
      host: '127.0.0.1',
      ccm: { url: ccm.url },
      store: { path: store },
      plugins: { dirs: [PLUGINS_DIR], dependencies: false },
      pipeline: { retry: { baseDelayMs: 10, maxDelayMs: 20, maxAttempts: 2 } },
      connectors: [
        {
          id: 'web',
          plugin: 'generic-http',
          config: { outboundUrl: provider.outboundUrl, sharedSecret: '${env:WEB_SECRET}' },
        },
      ],
      channels: [{ serviceIdentifier: '7', connector: 'web' }],
    }),
  )
  const env = { WEB_SECRET: 'super-secret-value-123', LOG_LEVEL: 'debug' }
  const host = await startProcessHost(file, env)
  ccm.setHostUrl(host.url)
  provider.setWebhookBase(`${host.url}/webhooks/web`)
  provider.setMode('down')
  await ccm.sendOutbound({ id: 'doomed', serviceIdentifier: '7', customerId: 'c', text: 'x' })
  await provider.sendInbound(
    { id: 'forged', from: 'c', to: '7', text: 'x' },
    { signature: 'sha256=bad' },
  )
  await ccm.waitFor((m) => m.body.type === 'DELIVERYNOTIFICATION')
  const exit = await host.kill('SIGTERM')
  assert.equal(exit.code, 0)
  assert.ok(
    host.logs.some((l) => l.msg === 'stopped'),
    'logged a clean stop',
  )
  const logText = JSON.stringify(host.logs)
  assert.ok(
    !logText.includes('super-secret-value-123'),
    'the shared secret never appears in the logs',
  )
  assert.ok(
    host.logs.some((l) => l.connector === 'web' && String(l.msg).includes('signature')),
    'the refused webhook is logged with the connector id',
  )

  const list = await cli(['dlq', 'list', '--config', file, '--json'], env)
  assert.equal(list.code, 0, list.stderr)
  const letters = JSON.parse(list.stdout) as { id: string; reason: string }[]
  assert.deepEqual(
    letters.map((l) => l.id),
    ['doomed'],
  )
  assert.match(letters[0]!.reason, /gave up after 2 attempts/)
  const replay = await cli(['dlq', 'replay', '--config', file, '--all'], env)
  assert.match(replay.stdout, /replayed 1 message/)
  provider.setMode('up')
  const again = await startProcessHost(file, env)
  provider.setWebhookBase(`${again.url}/webhooks/web`)
  await provider.waitFor((m) => m.idempotencyKey === 'doomed', { timeoutMs: 20_000 })
  assert.equal((await again.kill('SIGTERM')).code, 0)
  assert.ok(readFileSync(file, 'utf8').includes('${env:WEB_SECRET}'))
  await Promise.all([ccm.close(), provider.close()])
})
