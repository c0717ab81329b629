import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { idCandidates, normalizeId } from './ids.js'

describe('normalizeId', () => {
  it('lower-cases and strips leading zeros, keeping a lone zero', () => {
    assert.equal(normalizeId(' 0001E240 '), '1e240')
    assert.equal(normalizeId('000'), '0')
    assert.equal(normalizeId('abc-DEF'), 'abc-def')
  })
})

describe('idCandidates', () => {
  it('tries the id as given first, then the other base', () => {
    assert.deepEqual(idCandidates('123456'), ['123456', '1e240', '1193046'])
    assert.deepEqual(idCandidates('0001E240'), ['1e240', '123456'])
    assert.deepEqual(idCandidates('f1a9c3e2-77'), ['f1a9c3e2-77'])
  })
})
