import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { isNotification, startSmppLoop, until } from './helpers.js'

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')

test('SMPP over TLS: binds when the certificate checks out against the configured CA', async (t) => {
  const loop = await startSmppLoop({
    smsc: { tls: { key: fixture('localhost.key'), cert: fixture('localhost.crt') } },
    connector: { secure: 'true', tlsCa: fixture('localhost.crt') },
  })
  t.after(() => loop.close())
  await loop.send('tls-1', 'over TLS')
  await loop.ccm.waitFor(isNotification('tls-1', 'DELIVERED'))
  assert.equal(loop.smsc.submits[0]?.text, 'over TLS')
})

test('SMPP over TLS: an untrusted certificate is refused and reported', async (t) => {
  const loop = await startSmppLoop({
    smsc: { tls: { key: fixture('localhost.key'), cert: fixture('localhost.crt') } },
    connector: { secure: true },
  })
  t.after(() => loop.close())
  await until(
    () => /TLS handshake/.test(String(loop.status()?.lastError)),
    'the TLS failure to show',
  )
  assert.match(String(loop.status()?.lastError), /check SMPP-SECURE, and set tlsCa/)
  assert.equal(loop.smsc.binds.length, 0)
})
