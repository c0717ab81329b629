import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ProviderMessage } from '@plugboard/testkit'
import { until } from '../helpers/setup.js'
import {
  adminGet,
  type ConnectorView,
  NEW_SECRET,
  OLD_SECRET,
  SID,
  startUaLoop,
} from './fixture.js'

test('a push changes credentials under 500 msg/s: each message sent once, later ones with the new secret', {
  timeout: 120_000,
}, async (t) => {
  const loop = await startUaLoop()
  t.after(() => loop.close())
  const arrivals: { message: ProviderMessage; at: number }[] = []
  loop.provider.on('message', (message) => arrivals.push({ message, at: performance.now() }))

  const total = 1500
  const ids: string[] = []
  const answers: Promise<{ status: number }>[] = []
  let pushedAt = Number.POSITIVE_INFINITY
  let push: Promise<unknown> | undefined
  // 5 messages every 10 ms; the push goes out a third of the way in.
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      for (let i = 0; i < 5 && ids.length < total; i++) {
        const id = `load-${ids.length}`
        ids.push(id)
        answers.push(
          loop.ccm.sendOutbound({
            id,
            serviceIdentifier: SID,
            customerId: `+1555700${ids.length % 50}`,
            text: id,
          }),
        )
        if (ids.length === total / 3) {
          push = loop.ccm.unifiedAdmin
            .changeAttributes(SID, { 'HTTP-SHARED-SECRET': NEW_SECRET })
            .then((answer) => {
              pushedAt = performance.now()
              return answer
            })
        }
      }
      if (ids.length >= total) {
        clearInterval(timer)
        resolve()
      }
    }, 10)
  })
  const pushAnswer = (await push) as {
    status: number
    body: { applied: boolean; changedKeys: string[] }
  }
  assert.equal(pushAnswer.status, 200)
  assert.equal(pushAnswer.body.applied, true)
  assert.deepEqual(pushAnswer.body.changedKeys, ['HTTP-SHARED-SECRET'])
  for (const answer of await Promise.all(answers)) assert.equal(answer.status, 200)

  await until(
    () => ids.every((id) => loop.provider.received(id) >= 1),
    'every message sent',
    90_000,
  )
  for (const id of ids) assert.equal(loop.provider.received(id), 1, `${id} sent once`)
  // The push is answered after the old instance finished its in-flight sends, so nothing the
  // provider receives after that answer may carry the old secret.
  const late = arrivals.filter((a) => a.at > pushedAt)
  assert.ok(late.length > 0, 'messages arrived after the push')
  assert.deepEqual(
    late.filter((a) => a.message.signedWith !== NEW_SECRET).map((a) => a.message.idempotencyKey),
    [],
  )
  assert.ok(
    arrivals.some((a) => a.message.signedWith === OLD_SECRET),
    'early messages used the old secret',
  )
  const [connector] = (await adminGet<{ connectors: ConnectorView[] }>(loop.test, '/connectors'))
    .connectors
  assert.equal(connector?.state, 'running')
})

test('an invalid push keeps the running connector, answers why, and shows it in /admin and metrics', async (t) => {
  const loop = await startUaLoop()
  t.after(() => loop.close())
  const before = (await adminGet<{ connectors: ConnectorView[] }>(loop.test, '/connectors'))
    .connectors[0]!
  const answer = (await loop.ccm.unifiedAdmin.changeAttributes(SID, {
    'HTTP-OUTBOUND-URL': 'not a url',
  })) as { status: number; body: { applied: boolean; error: { code: string; message: string } } }
  assert.equal(answer.status, 422)
  assert.equal(answer.body.applied, false)
  assert.equal(answer.body.error.code, 'CONFIG_INVALID')
  assert.match(answer.body.error.message, /outboundUrl/)

  // Traffic still flows through the previous instance.
  await loop.ccm.sendOutbound({ serviceIdentifier: SID, customerId: '+15557100', text: 'still up' })
  await loop.provider.waitFor((m) => m.text === 'still up')
  const after = (await adminGet<{ connectors: ConnectorView[] }>(loop.test, '/connectors'))
    .connectors[0]!
  assert.equal(after.state, 'running')
  assert.equal(after.configVersion, before.configVersion)
  assert.match(after.lastError ?? '', /previous instance keeps running/)
  const metrics = await (await fetch(`${loop.test.url}/metrics`)).text()
  assert.match(metrics, /plugboard_unified_admin_events_total\{event="push",outcome="rejected"\} 1/)

  // Fixing it in Unified Admin applies cleanly.
  const fixed = await loop.ccm.unifiedAdmin.changeAttributes(SID, {
    'HTTP-OUTBOUND-URL': loop.provider.outboundUrl,
    'HTTP-SHARED-SECRET': NEW_SECRET,
  })
  assert.equal(fixed?.status, 200)
  await loop.ccm.sendOutbound({ serviceIdentifier: SID, customerId: '+15557100', text: 'fixed' })
  const [sent] = await loop.provider.waitFor((m) => m.text === 'fixed')
  assert.equal(sent!.signedWith, NEW_SECRET)
})

test('a lost push is repaired by the periodic resync', async (t) => {
  const loop = await startUaLoop({
    config: { unifiedAdmin: { channels: [SID], resyncIntervalMs: 200, retryIntervalMs: 100 } },
  })
  t.after(() => loop.close())
  loop.ccm.unifiedAdmin.dropPushes(1)
  const answer = await loop.ccm.unifiedAdmin.changeAttributes(SID, {
    'HTTP-SHARED-SECRET': NEW_SECRET,
  })
  assert.equal(answer, undefined, 'the push was dropped')
  assert.equal(loop.ccm.unifiedAdmin.pushes.at(-1)?.dropped, true)
  let n = 0
  await until(async () => {
    const text = `probe-${n++}`
    await loop.ccm.sendOutbound({ serviceIdentifier: SID, customerId: '+15557200', text })
    const [sent] = await loop.provider.waitFor((m) => m.text === text)
    return sent!.signedWith === NEW_SECRET
  }, 'the resync to apply the new secret')
})

test('pushes are authenticated, validated and answered with what was applied or why not', async (t) => {
  const token = 'push-token-0123456789'
  const loop = await startUaLoop({
    config: {
      unifiedAdmin: { channels: [SID], resyncIntervalMs: 0, push: { token, allow: [] } },
    },
  })
  t.after(() => loop.close())
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${loop.test.url}/connector-configurations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })

  const refused = await loop.ccm.unifiedAdmin.changeAttributes(SID, { 'HTTP-TIMEOUT-MS': '5000' })
  assert.equal(refused?.status, 401)
  loop.ccm.unifiedAdmin.setPushToken(token)
  const applied = (await loop.ccm.unifiedAdmin.push(SID)) as {
    status: number
    body: { connector: string; plugin: string; changedKeys: string[]; ignoredKeys: string[] }
  }
  assert.equal(applied.status, 200)
  assert.equal(applied.body.connector, 'ua-web')
  assert.equal(applied.body.plugin, 'generic-http')
  assert.deepEqual(applied.body.changedKeys, ['HTTP-TIMEOUT-MS'])
  assert.deepEqual(applied.body.ignoredKeys, ['LEGACY-KEY'])

  const auth = { authorization: `Bearer ${token}` }
  const unknown = await post({ serviceIdentifier: '+19990000', connectorConfigurations: [] }, auth)
  assert.equal(unknown.status, 404)
  assert.match(
    ((await unknown.json()) as { error: { message: string } }).error.message,
    /not served/,
  )
  const malformed = await post({ serviceIdentifier: SID, connectorConfigurations: 'x' }, auth)
  assert.equal(malformed.status, 400)
  assert.match(
    ((await malformed.json()) as { error: { message: string } }).error.message,
    /connectorConfigurations/,
  )
  const notJson = await post('{', auth)
  assert.equal(notJson.status, 400)
  const byQuery = await fetch(`${loop.test.url}/connector-configurations?token=${token}`, {
    method: 'POST',
    body: JSON.stringify({ serviceIdentifier: SID, connectorConfigurations: [] }),
  })
  assert.equal(byQuery.status, 200)
})
