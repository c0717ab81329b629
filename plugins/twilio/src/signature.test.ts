import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import twilio from 'twilio'
import {
  bodySha256,
  formParams,
  signatureUrlVariants,
  twilioSignature,
  verifyTwilioSignature,
} from './signature.js'

// Test vectors of twilio-node's spec/validation.spec.js (specs/providers.md §1.3).
const TOKEN = '12345'
const URL_ = 'https://mycompany.com/myapp.php?foo=1&bar=2'
const PARAMS = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+14158675309',
  Digits: '1234',
  From: '+14158675309',
  To: '+18005551212',
}
const VECTOR = 'RSOYDt4T1cUTdK1PDd93/VVr8B8='
const JSON_BODY = '{"property": "value", "boolean": true}'
const JSON_HASH = '0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620'
const JSON_VECTOR = 'a9nBmqA0ju/hNViExpshrM61xv4='

const verify = (
  signature: string | null,
  urls: string[],
  params: Record<string, string | string[]> = PARAMS,
  token = TOKEN,
) => verifyTwilioSignature({ authToken: token, signature, urls, params })

describe('twilioSignature', () => {
  it('computes the published test vector', () => {
    assert.equal(twilioSignature(TOKEN, URL_, PARAMS), VECTOR)
  })

  it('agrees with twilio.getExpectedTwilioSignature, repeated values included', () => {
    const cases: Array<[string, Record<string, string | string[]>]> = [
      [URL_, PARAMS],
      ['https://h.example.com/m', { MediaUrl: ['b', 'a', 'b'], Body: 'é 👋' }],
      ['http://127.0.0.1:8080/webhooks/tw/status?x=1', { a: '', B: '1', b: '2' }],
    ]
    for (const [url, params] of cases) {
      assert.equal(
        twilioSignature(TOKEN, url, params),
        twilio.getExpectedTwilioSignature(TOKEN, url, params),
      )
    }
  })
})

describe('verifyTwilioSignature', () => {
  it('accepts the published test vector', () => {
    assert.equal(verify(VECTOR, [URL_]), true)
  })

  it('accepts the published JSON vector (bodySHA256, no parameters)', () => {
    assert.equal(bodySha256(JSON_BODY), JSON_HASH)
    const url = `${URL_}&bodySHA256=${JSON_HASH}`
    assert.equal(
      verifyTwilioSignature({
        authToken: TOKEN,
        signature: JSON_VECTOR,
        urls: [url],
        body: JSON_BODY,
      }),
      true,
    )
  })

  it('refuses a JSON body that does not hash to bodySHA256', () => {
    const url = `${URL_}&bodySHA256=${JSON_HASH}`
    assert.equal(
      verifyTwilioSignature({
        authToken: TOKEN,
        signature: JSON_VECTOR,
        urls: [url],
        body: `${JSON_BODY} `,
      }),
      false,
    )
  })

  it('accepts when any of the candidate URLs matches', () => {
    assert.equal(verify(VECTOR, ['https://other.example.com/x', URL_]), true)
  })

  const portCases: Array<[string, string, string]> = [
    [
      'signed without the port, received with :443',
      'https://h.example.com/m',
      'https://h.example.com:443/m',
    ],
    [
      'signed with :443, received without',
      'https://h.example.com:443/m',
      'https://h.example.com/m',
    ],
    [
      'signed with :80, received without',
      'http://h.example.com:80/m?a=1',
      'http://h.example.com/m?a=1',
    ],
  ]
  for (const [name, signedUrl, receivedUrl] of portCases) {
    it(`accepts a URL ${name}`, () => {
      const signature = twilioSignature(TOKEN, signedUrl, PARAMS)
      assert.equal(verify(signature, [receivedUrl]), true)
      assert.equal(twilio.validateRequest(TOKEN, signature, receivedUrl, PARAMS), true)
    })
  }

  it('accepts a query Twilio signed in the legacy querystring form', () => {
    const signedUrl = 'https://h.example.com/m?q=a%20b&r=c'
    const receivedUrl = 'https://h.example.com/m?q=a+b&r=c'
    const signature = twilioSignature(TOKEN, signedUrl, PARAMS)
    assert.equal(verify(signature, [receivedUrl]), true)
    assert.equal(twilio.validateRequest(TOKEN, signature, receivedUrl, PARAMS), true)
  })

  it('accepts a URL that new URL() would re-encode, as received', () => {
    const url = "https://h.example.com/m?name=o'brien"
    const signature = twilioSignature(TOKEN, url, PARAMS)
    assert.equal(verify(signature, [url]), true)
  })

  const refused: Array<[string, string | null, string[], Record<string, string>, string?]> = [
    ['no signature', null, [URL_], PARAMS],
    ['an empty signature', '', [URL_], PARAMS],
    ['another token', VECTOR, [URL_], PARAMS, 'other-token'],
    ['another path', VECTOR, ['https://mycompany.com/other.php?foo=1&bar=2'], PARAMS],
    ['another query', VECTOR, ['https://mycompany.com/myapp.php?foo=1&bar=3'], PARAMS],
    ['another scheme', VECTOR, ['http://mycompany.com/myapp.php?foo=1&bar=2'], PARAMS],
    ['a changed parameter', VECTOR, [URL_], { ...PARAMS, Digits: '1235' }],
    ['an added parameter', VECTOR, [URL_], { ...PARAMS, Extra: '' }],
    ['a removed parameter', VECTOR, [URL_], { CallSid: PARAMS.CallSid }],
    ['a truncated signature', VECTOR.slice(0, -2), [URL_], PARAMS],
    ['a signature in another case', VECTOR.toLowerCase(), [URL_], PARAMS],
  ]
  for (const [name, signature, urls, params, token] of refused) {
    it(`refuses ${name}`, () => {
      assert.equal(verify(signature, urls, params, token), false)
    })
  }
})

describe('signatureUrlVariants', () => {
  it('lists the URL as received, with and without the port, then normalised', () => {
    assert.deepEqual(signatureUrlVariants('https://h.example.com/m?q=a+b'), [
      'https://h.example.com/m?q=a+b',
      'https://h.example.com:443/m?q=a+b',
      'https://h.example.com/m?q=a%20b',
      'https://h.example.com:443/m?q=a%20b',
    ])
  })

  it('keeps an IPv6 literal intact', () => {
    assert.deepEqual(signatureUrlVariants('http://[::1]:8080/m').slice(0, 2), [
      'http://[::1]/m',
      'http://[::1]:8080/m',
    ])
  })
})

describe('formParams', () => {
  it('keeps every value of a repeated name', () => {
    assert.deepEqual(formParams(new URLSearchParams('a=1&b=2&a=3')), { a: ['1', '3'], b: '2' })
  })
})
