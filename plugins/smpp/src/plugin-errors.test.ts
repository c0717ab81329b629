import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isPluginError, type PluginError } from '@plugboard/sdk'
import { smppError, statusError } from './errors.js'
import { toPluginError } from './plugin-errors.js'

const kindOf = (error: unknown) => {
  const mapped = toPluginError(error, 1000) as PluginError
  assert.ok(isPluginError(mapped))
  return [mapped.kind, mapped.code, mapped.providerCode, mapped.retryAfterMs]
}

describe('toPluginError', () => {
  const cases: Array<[string, unknown, unknown[]]> = [
    [
      'a wrong password',
      statusError('bind_transceiver', 0x0e),
      ['auth', 'SMPP_BIND_REFUSED', 'ESME_RINVPASWD', undefined],
    ],
    [
      'throttling',
      statusError('submit_sm', 0x58),
      ['retryable', 'SMPP_REJECTED', 'ESME_RTHROTTLED', 1000],
    ],
    [
      'a system error',
      statusError('submit_sm', 0x08),
      ['retryable', 'SMPP_REJECTED', 'ESME_RSYSERR', undefined],
    ],
    [
      'an invalid destination',
      statusError('submit_sm', 0x0b),
      ['terminal', 'SMPP_REJECTED', 'ESME_RINVDSTADR', undefined],
    ],
    [
      'a vendor status',
      statusError('submit_sm', 0x401),
      ['terminal', 'SMPP_REJECTED', '0x00000401', undefined],
    ],
    [
      'a lost link',
      smppError('SMPP_LINK_LOST', 'x', { ambiguous: true }),
      ['retryable', 'SMPP_LINK_LOST', undefined, undefined],
    ],
    [
      'a text too long',
      smppError('SMPP_MESSAGE_TOO_LONG', 'x'),
      ['terminal', 'SMPP_MESSAGE_TOO_LONG', undefined, undefined],
    ],
  ]
  for (const [name, error, expected] of cases) {
    it(`classifies ${name}`, () => assert.deepEqual(kindOf(error), expected))
  }

  it('passes other errors (a failing store) through for the host to retry', () => {
    const error = new Error('store down')
    assert.equal(toPluginError(error, 1000), error)
  })
})
