import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { describeConfig, redactConfig } from '@plugboard/sdk'
import { GenericHttpConfig } from './config.js'

describe('GenericHttpConfig', () => {
  it('maps every field to its Unified Admin attribute', () => {
    const fields = describeConfig(GenericHttpConfig).map((f) => [
      f.name,
      f.key,
      f.required,
      f.secret,
    ])
    assert.deepEqual(fields, [
      ['outboundUrl', 'HTTP-OUTBOUND-URL', true, false],
      ['sharedSecret', 'HTTP-SHARED-SECRET', false, true],
      ['timeoutMs', 'HTTP-TIMEOUT-MS', false, false],
    ])
  })

  it('defaults the timeout and accepts it as a string, as attributes arrive', () => {
    const url = 'https://example.test/out'
    assert.equal(GenericHttpConfig.parse({ outboundUrl: url }).timeoutMs, 10_000)
    assert.equal(GenericHttpConfig.parse({ outboundUrl: url, timeoutMs: '2500' }).timeoutMs, 2500)
  })

  it('rejects a non-HTTP outbound URL', () => {
    assert.equal(GenericHttpConfig.safeParse({ outboundUrl: 'ftp://example.test' }).success, false)
  })

  it('redacts the shared secret', () => {
    const config = { outboundUrl: 'https://example.test', sharedSecret: 'x', timeoutMs: 1 }
    assert.deepEqual(redactConfig(GenericHttpConfig, config), {
      ...config,
      sharedSecret: '[redacted]',
    })
  })
})
