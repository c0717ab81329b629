import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import twilio from 'twilio'
import { signTwilioJsonRequest, signTwilioRequest } from './signing.js'

// The official package is the reference: if Twilio's algorithm and the simulator's ever part,
// these fail before a plugin is tested against a wrong simulator.
const token = '12345'

describe('signTwilioRequest', () => {
  it('matches the published test vector', () => {
    const params = {
      CallSid: 'CA1234567890ABCDE',
      Caller: '+14158675309',
      Digits: '1234',
      From: '+14158675309',
      To: '+18005551212',
    }
    const url = 'https://mycompany.com/myapp.php?foo=1&bar=2'
    assert.equal(signTwilioRequest(token, url, params), 'RSOYDt4T1cUTdK1PDd93/VVr8B8=')
  })

  const cases: Array<[string, string, Record<string, string | string[]>]> = [
    ['an SMS webhook', 'https://hooks.example.com/webhooks/tw/message', sms()],
    ['no parameters', 'https://hooks.example.com/webhooks/tw/status', {}],
    ['a port and a query', 'http://127.0.0.1:8080/webhooks/tw/message?x=1&y=%20z', sms()],
    ['unicode values', 'https://hooks.example.com/m', { Body: 'héllo 👋 مرحبا', From: '+1' }],
    [
      'names that sort by code unit',
      'https://h.example.com/m',
      { b: '1', B: '2', a_: '3', a: '4' },
    ],
    ['repeated values', 'https://h.example.com/m', { MediaUrl: ['u2', 'u1', 'u2'], To: '+1' }],
    ['empty values', 'https://h.example.com/m', { ToState: '', FromCity: '', Body: '' }],
  ]
  for (const [name, url, params] of cases) {
    it(`is accepted by twilio.validateRequest for ${name}`, () => {
      const signature = signTwilioRequest(token, url, params)
      assert.equal(twilio.validateRequest(token, signature, url, params), true)
      assert.equal(twilio.getExpectedTwilioSignature(token, url, params), signature)
    })
  }

  it('is refused by twilio.validateRequest for another token or another URL', () => {
    const url = 'https://hooks.example.com/webhooks/tw/message'
    const signature = signTwilioRequest(token, url, sms())
    assert.equal(twilio.validateRequest('other', signature, url, sms()), false)
    assert.equal(twilio.validateRequest(token, signature, `${url}x`, sms()), false)
  })
})

describe('signTwilioJsonRequest', () => {
  it('matches the published body-hash test vector', () => {
    const body = '{"property": "value", "boolean": true}'
    const { url, signature } = signTwilioJsonRequest(
      token,
      'https://mycompany.com/myapp.php?foo=1&bar=2',
      body,
    )
    assert.equal(
      url,
      'https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620',
    )
    assert.equal(signature, 'a9nBmqA0ju/hNViExpshrM61xv4=')
  })

  it('is accepted by twilio.validateRequestWithBody, with and without a query', () => {
    const body = JSON.stringify({ MessageSid: 'SM1', Body: 'hi' })
    for (const base of ['https://hooks.example.com/events', 'https://hooks.example.com/e?a=1']) {
      const { url, signature } = signTwilioJsonRequest(token, base, body)
      assert.equal(twilio.validateRequestWithBody(token, signature, url, body), true)
      assert.equal(twilio.validateRequestWithBody(token, signature, url, `${body} `), false)
    }
  })
})

function sms(): Record<string, string> {
  return {
    ToCountry: 'US',
    SmsMessageSid: 'SM0123456789abcdef0123456789abcdef',
    NumMedia: '0',
    SmsSid: 'SM0123456789abcdef0123456789abcdef',
    SmsStatus: 'received',
    Body: 'Hello & welcome = yes?',
    To: '+15550100',
    MessageSid: 'SM0123456789abcdef0123456789abcdef',
    AccountSid: 'AC0123456789abcdef0123456789abcdef',
    From: '+15550199',
    ApiVersion: '2010-04-01',
  }
}
