import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { recordingLogger } from '../test/helpers.js'
import { SmppConfig } from './config.js'
import { clientOptions } from './session-options.js'

const parse = (extra: Record<string, unknown>) =>
  SmppConfig.parse({ host: 'smsc', systemId: 'acct', password: 'pw', ...extra })
const build = (extra: Record<string, unknown>) =>
  clientOptions(parse(extra), recordingLogger(), async () => 0)

describe('clientOptions', () => {
  it('makes a transmitter plus receiver pair from bind type 0 and one receiver bind', () => {
    assert.deepEqual(build({ bindType: 0, receiverBinds: 1 }).binds, [
      { type: 'transmitter', count: 1 },
      { type: 'receiver', count: 1 },
    ])
    assert.deepEqual(build({ binds: 3 }).binds, [{ type: 'transceiver', count: 3 }])
  })

  it('verifies TLS by default and takes a CA', () => {
    assert.equal(build({}).endpoint.tls, undefined)
    assert.deepEqual(build({ secure: 'true', tlsCa: 'PEM' }).endpoint.tls, {
      rejectUnauthorized: true,
      ca: 'PEM',
    })
  })

  it('carries the session settings', () => {
    const options = build({
      window: 20,
      tps: 30,
      enquireLinkMs: 15000,
      reconnectMinMs: 500,
      reconnectMaxMs: 100,
    })
    assert.equal(options.window, 20)
    assert.equal(options.tps, 30)
    assert.equal(options.enquireLinkMs, 15000)
    assert.deepEqual(options.reconnect, { minMs: 500, maxMs: 500 })
    assert.equal(options.credentials.password, 'pw')
  })
})
