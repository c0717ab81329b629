import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { createHost, type Host } from '@plugboard/host'
import {
  type CcmSimulator,
  type HttpProviderSimulator,
  startCcmSimulator,
  startHttpProviderSimulator,
} from '@plugboard/testkit'
import { PLUGINS_DIR, writeConfig } from './helpers/config-file.js'
import { until } from './helpers/setup.js'

const SID = '3000'
const TOKEN = 'admin-token-for-tests-0123'
let host: Host | undefined
let sims: { close(): Promise<void> }[] = []
let configPath = ''
let configDir = ''
after(async () => {
  await host?.stop()
  await Promise.all(sims.map((s) => s.close()))
})

function config(
  ccm: CcmSimulator,
  provider: HttpProviderSimulator,
  secret: string,
  dir: string,
  outboundUrl = provider.outboundUrl,
) {
  return {
    port: 0,
    host: '127.0.0.1',
    log: { level: 'silent' },
    admin: { token: TOKEN },
    ccm: { url: ccm.url },
    store: { path: join(dir, 'store.db') },
    plugins: { dirs: [PLUGINS_DIR], dependencies: false },
    pipeline: { retry: { baseDelayMs: 20, maxDelayMs: 200 } },
    connectors: [
      { id: 'web', plugin: 'generic-http', config: { outboundUrl, sharedSecret: secret } },
    ],
    channels: [{ serviceIdentifier: SID, connector: 'web' }],
  }
}

async function admin(path: string) {
  const res = await fetch(`${host!.url}/admin${path}`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  })
  return (await res.json()) as {
    connectors: { id: string; state: string; configVersion: string; lastError?: string }[]
    lastReload: { ok: boolean; error?: string } | null
  }
}

test('editing the config file swaps the connector under load: nothing lost, nothing sent twice', {
  timeout: 90_000,
}, async () => {
  const ccm = await startCcmSimulator()
  const oldProvider = await startHttpProviderSimulator({ secret: 'old-secret' })
  const newProvider = await startHttpProviderSimulator({ secret: 'new-secret' })
  sims = [ccm, oldProvider, newProvider]
  const { file, dir } = writeConfig({})
  configPath = file
  configDir = dir
  writeFileSync(file, JSON.stringify(config(ccm, oldProvider, 'old-secret', dir)))
  host = await createHost({ configFile: file, env: {} })
  await host.listen(0)
  ccm.setHostUrl(host.url!)
  const versionBefore = (await admin('/connectors')).connectors[0]!.configVersion

  const total = 300
  const sentAfterSwap: string[] = []
  let swapped = false
  const sending = (async () => {
    for (let i = 0; i < total; i++) {
      const id = `msg-${i}`
      const answer = await ccm.sendOutbound({
        id,
        serviceIdentifier: SID,
        customerId: `+1555${i % 10}`,
        text: `m${i}`,
      })
      assert.equal(answer.status, 200, `message ${i} accepted`)
      if (swapped) sentAfterSwap.push(id)
      if (i === 100)
        writeFileSync(file, JSON.stringify(config(ccm, newProvider, 'new-secret', dir)))
      await new Promise((r) => setTimeout(r, 2))
    }
  })()
  await until(
    async () => (await admin('/connectors')).connectors[0]!.configVersion !== versionBefore,
    'the reload to apply',
    30_000,
  )
  swapped = true
  await sending

  const all = Array.from({ length: total }, (_, i) => `msg-${i}`)
  await until(
    () => all.every((id) => oldProvider.received(id) + newProvider.received(id) >= 1),
    'every message to be sent',
    30_000,
  )
  await new Promise((r) => setTimeout(r, 300))
  for (const id of all)
    assert.equal(oldProvider.received(id) + newProvider.received(id), 1, `${id} sent exactly once`)
  assert.ok(sentAfterSwap.length > 50, 'load continued after the swap')
  for (const id of sentAfterSwap)
    assert.equal(newProvider.received(id), 1, `${id} used the new credentials`)
  assert.equal((await host.pipeline.listDead()).length, 0)
  const status = await admin('/connectors')
  assert.equal(status.connectors[0]!.state, 'running')
  assert.equal(status.lastReload?.ok, true)
})

test('an invalid edit keeps the running instance and reports the error', {
  timeout: 60_000,
}, async () => {
  const [ccm, , newProvider] = sims as [CcmSimulator, HttpProviderSimulator, HttpProviderSimulator]
  const running = await admin('/connectors')
  const version = running.connectors[0]!.configVersion

  // A YAML syntax error: nothing changes, the error is visible.
  writeFileSync(configPath, 'connectors: [ {id: web,\n')
  await until(
    async () => (await admin('/connectors')).lastReload?.ok === false,
    'the bad edit to be reported',
    30_000,
  )
  assert.match((await admin('/connectors')).lastReload!.error!, /plugboard\.yaml/)

  // A config the plugin refuses: the old instance keeps serving; /admin shows why.
  writeFileSync(
    configPath,
    JSON.stringify(config(ccm, newProvider, 'new-secret', configDir, 'not a url')),
  )
  await until(
    async () => Boolean((await admin('/connectors')).connectors[0]!.lastError),
    'the refused config to be reported',
    30_000,
  )
  const after = await admin('/connectors')
  assert.equal(after.connectors[0]!.state, 'running')
  assert.equal(after.connectors[0]!.configVersion, version)
  assert.match(after.connectors[0]!.lastError!, /outboundUrl/)
  const metrics = await (await fetch(`${host!.url}/metrics`)).text()
  assert.match(metrics, /plugboard_config_reloads_total\{outcome="invalid"\} [1-9]/)

  await ccm.sendOutbound({
    id: 'still-flowing',
    serviceIdentifier: SID,
    customerId: '+1',
    text: 'still here',
  })
  await newProvider.waitFor((m) => m.idempotencyKey === 'still-flowing')
})

test('a secret read through ${file:} is watched: rotating it reloads the connector', {
  timeout: 60_000,
}, async () => {
  const [ccm, , newProvider] = sims as [CcmSimulator, HttpProviderSimulator, HttpProviderSimulator]
  newProvider.setSecrets(['new-secret', 'rotated-secret'])
  const secretFile = join(configDir, 'web.secret')
  writeFileSync(secretFile, 'new-secret\n')
  writeFileSync(
    configPath,
    JSON.stringify(config(ccm, newProvider, '${file:web.secret}', configDir)),
  )
  await until(
    async () => (await admin('/connectors')).lastReload?.ok === true,
    'the fixed config to apply',
    30_000,
  )
  writeFileSync(secretFile, 'rotated-secret\n')
  let n = 0
  await until(
    async () => {
      const id = `rotation-${n++}`
      await ccm.sendOutbound({ id, serviceIdentifier: SID, customerId: '+1', text: id })
      const [sent] = await newProvider.waitFor((m) => m.idempotencyKey === id)
      return sent!.signedWith === 'rotated-secret'
    },
    'the rotated secret to be used',
    30_000,
  )
})
