import assert from 'node:assert/strict'
import { test } from 'node:test'
import { CONNECTOR, isNotification, startSmppLoop, until } from './helpers.js'

const WRONG = 'wrong-pw-7781'

test('a wrong password: the connector reports the refused bind, keeps retrying, and recovers', async (t) => {
  const loop = await startSmppLoop({ password: WRONG })
  t.after(() => loop.close())
  await loop.smsc.waitForBind((b) => b.status === 0x0e, { count: 2, timeoutMs: 10_000 })
  await until(() => loop.status()?.state === 'degraded', 'the connector to report itself degraded')
  const status = loop.status()
  assert.match(
    String(status?.lastError),
    /0\/1 SMPP binds up; bind_transceiver refused with ESME_RINVPASWD .*check SMPP-PASSWORD/,
  )
  assert.doesNotMatch(JSON.stringify(loop.test.host.manager.status()), new RegExp(WRONG))

  // An agent reply meanwhile is refused as an auth failure: it waits instead of failing.
  await loop.send('wait-1', 'sent once the bind works')
  await until(async () => {
    const metrics = await (await fetch(`${loop.test.url}/metrics`)).text()
    return /plugboard_retries_total\{connector="sms",direction="outbound",kind="auth"\} [1-9]/.test(
      metrics,
    )
  }, 'an auth retry')
  assert.equal(loop.smsc.submits.length, 0)

  // The SMSC's account now has this password (it was rotated there): the next attempt binds.
  loop.smsc.setPassword('plugboard', WRONG)
  await until(() => loop.status()?.state === 'running', 'the connector to bind')
  await loop.smsc.waitFor((s) => s.text === 'sent once the bind works', { timeoutMs: 10_000 })
  await loop.ccm.waitFor(isNotification('wait-1', 'DELIVERED'))
  assert.equal(loop.smsc.submits.length, 1)
})

test('a corrected password in the config is picked up by the new connector instance', async (t) => {
  const loop = await startSmppLoop({ password: WRONG })
  t.after(() => loop.close())
  await loop.smsc.waitForBind((b) => b.status === 0x0e)
  await loop.send('wait-2', 'after the config fix')
  const connector = (password: string) => ({
    id: CONNECTOR,
    plugin: 'smpp',
    config: {
      host: loop.smsc.host,
      port: loop.smsc.port,
      systemId: 'plugboard',
      password,
      reconnectMinMs: 50,
    },
  })
  const report = await loop.test.reconfigure({ connectors: [connector('secret')] })
  assert.deepEqual(report.replaced, [CONNECTOR])
  await loop.ccm.waitFor(isNotification('wait-2', 'DELIVERED'), { timeoutMs: 15_000 })
  assert.equal(loop.smsc.submits.filter((s) => s.text === 'after the config fix').length, 1)
  assert.equal(loop.status()?.state, 'running')
})
