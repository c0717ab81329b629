import assert from 'node:assert/strict'
import { test } from 'node:test'
import { until } from '../helpers/setup.js'
import { adminGet, NEW_SECRET, OLD_SECRET, SID, startUaLoop } from './fixture.js'

const readyz = async (url: string) => {
  const res = await fetch(`${url}/readyz`)
  return { status: res.status, body: (await res.json()) as { reason?: string } }
}

test('at start the host pulls each channel and its connector from Unified Admin and serves it', async (t) => {
  const loop = await startUaLoop()
  t.after(() => loop.close())
  const status = await adminGet<{ synced: boolean; channels: { connector: string | null }[] }>(
    loop.test,
    '/unified-admin',
  )
  assert.equal(status.synced, true)
  assert.deepEqual(
    status.channels.map((c) => c.connector),
    ['ua-web'],
  )
  assert.equal((await readyz(loop.test.url)).status, 200)
  const answer = await loop.ccm.sendOutbound({
    serviceIdentifier: SID,
    customerId: '+15559001',
    text: 'pulled config works',
  })
  assert.equal(answer.status, 200)
  const [sent] = await loop.provider.waitFor((m) => m.text === 'pulled config works')
  assert.equal(sent!.signedWith, OLD_SECRET)
  // Both CCM endpoints were asked.
  assert.ok(loop.ccm.unifiedAdmin.pulls >= 2)
})

test('CCM down at the first start: not ready with the reason, then serving once CCM answers', async (t) => {
  const loop = await startUaLoop({ startHost: false })
  t.after(() => loop.close())
  loop.ccm.setMode('down')
  const host = await loop.start()
  const first = await readyz(host.url)
  assert.equal(first.status, 503)
  assert.match(first.body.reason ?? '', /Unified Admin settings not pulled/)
  loop.ccm.setMode('up')
  await until(async () => (await readyz(host.url)).status === 200, 'the host to become ready')
  await loop.ccm.sendOutbound({ serviceIdentifier: SID, customerId: '+15559002', text: 'late' })
  await loop.provider.waitFor((m) => m.text === 'late')
})

test('CCM down at a restart: the last good settings keep the channel running, not ready until synced', async (t) => {
  const loop = await startUaLoop()
  t.after(() => loop.close())
  // A change the first run learns about and keeps.
  await loop.ccm.unifiedAdmin.changeAttributes(SID, { 'HTTP-SHARED-SECRET': NEW_SECRET })
  await loop.test.stop({ keepStore: true })

  loop.ccm.setMode('down')
  const host = await loop.start()
  const down = await readyz(host.url)
  assert.equal(down.status, 503)
  await loop.ccm.sendOutbound({ serviceIdentifier: SID, customerId: '+15559003', text: 'cached' })
  const [sent] = await loop.provider.waitFor((m) => m.text === 'cached')
  assert.equal(sent!.signedWith, NEW_SECRET)

  loop.ccm.setMode('up')
  await until(async () => (await readyz(host.url)).status === 200, 'the host to sync and be ready')
})
