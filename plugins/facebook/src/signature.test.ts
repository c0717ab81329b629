import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { signGraphWebhook } from '@plugboard/testkit'
import { checkHubSignature, hubSignature } from './signature.js'

// Computed with `openssl dgst -sha256 -hmac my-app-secret` over the exact bytes.
const VECTORS: Array<[string, string]> = [
  [
    '{"object":"page","entry":[]}',
    'sha256=efc6622a1e514411b7569a0f5886d4706df142ebfc80ed1e84dba7b7b5593e02',
  ],
  [
    '{"text":"Ol\\u00e1"}',
    'sha256=cee5389ca5882831068c138b5a902758c6338a7e2da94143580d4c8bac232dc8',
  ],
]

describe('X-Hub-Signature-256', () => {
  for (const [body, signature] of VECTORS) {
    it(`signs ${body} as openssl does, and so does the simulator`, () => {
      assert.equal(hubSignature('my-app-secret', body), signature)
      assert.equal(hubSignature('my-app-secret', new TextEncoder().encode(body)), signature)
      assert.equal(signGraphWebhook('my-app-secret', body), signature)
      assert.equal(checkHubSignature('my-app-secret', signature, body), 'ok')
    })
  }

  it('accepts upper-case hex and surrounding spaces', () => {
    const [body, signature] = VECTORS[0]!
    const upper = `sha256=${signature.slice(7).toUpperCase()}`
    assert.equal(checkHubSignature('my-app-secret', ` ${upper} `, body), 'ok')
  })

  const refused: Array<[string, string | null, string]> = [
    ['no header', null, 'missing'],
    ['an empty header', '', 'missing'],
    ['the legacy SHA-1 form', 'sha1=0123456789abcdef0123456789abcdef01234567', 'malformed'],
    [
      'hex without the prefix',
      'efc6622a1e514411b7569a0f5886d4706df142ebfc80ed1e84dba7b7b5593e02',
      'malformed',
    ],
    ['a truncated digest', 'sha256=efc6622a1e514411', 'malformed'],
    ['another secret’s digest', hubSignature('other-secret', VECTORS[0]![0]), 'mismatch'],
  ]
  for (const [name, header, result] of refused) {
    it(`refuses ${name} as ${result}`, () => {
      assert.equal(checkHubSignature('my-app-secret', header, VECTORS[0]![0]), result)
    })
  }

  it('refuses a body changed after signing', () => {
    const [body, signature] = VECTORS[0]!
    assert.equal(checkHubSignature('my-app-secret', signature, `${body} `), 'mismatch')
  })
})
