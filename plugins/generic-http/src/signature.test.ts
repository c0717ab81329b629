import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { describe, it } from 'node:test'
import { signBody, verifySignature } from './signature.js'

const secret = 's3cret'
const body = '{"id":"m1","from":"alice","to":"svc","text":"hi"}'
const bytes = new TextEncoder().encode(body)

describe('signBody', () => {
  it('is sha256= and the hex HMAC-SHA256 of the body', () => {
    const hex = createHmac('sha256', secret).update(body).digest('hex')
    assert.equal(signBody(secret, body), `sha256=${hex}`)
  })

  it('gives the same value for a string and its UTF-8 bytes', () => {
    assert.equal(signBody(secret, 'héllo'), signBody(secret, new TextEncoder().encode('héllo')))
  })
})

describe('verifySignature', () => {
  it('accepts the signature of exactly these bytes', () => {
    assert.equal(verifySignature(secret, bytes, signBody(secret, body)), true)
  })

  it('accepts upper-case hex', () => {
    const sig = signBody(secret, body)
    assert.equal(verifySignature(secret, bytes, `sha256=${sig.slice(7).toUpperCase()}`), true)
  })

  const rejected: Array<[string, string | null]> = [
    ['a missing header', null],
    ['an empty header', ''],
    ['no sha256= prefix', signBody(secret, body).slice(7)],
    ['another algorithm', `sha1=${signBody(secret, body).slice(7)}`],
    ['a truncated digest', signBody(secret, body).slice(0, 40)],
    ['non-hex characters', `sha256=${'z'.repeat(64)}`],
    ['another secret', signBody('other', body)],
    ['another body', signBody(secret, `${body} `)],
  ]
  for (const [name, header] of rejected) {
    it(`rejects ${name}`, () => {
      assert.equal(verifySignature(secret, bytes, header), false)
    })
  }
})
