import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { describeConfig, redactConfig } from '@plugboard/sdk'
import { TwilioConfig } from './config.js'

const SID = 'ACf54d2c3e1b0a99887766554433221100'

describe('TwilioConfig', () => {
  it('maps every field to its Unified Admin attribute', () => {
    const fields = describeConfig(TwilioConfig).map((f) => [f.name, f.key, f.required, f.secret])
    assert.deepEqual(fields, [
      ['accountSid', 'TWILIO_ACCOUNT_SID', true, false],
      ['authToken', 'TWILIO_AUTH_TOKEN', true, true],
      ['messagingServiceSid', 'TWILIO_MESSAGING_SERVICE_SID', false, false],
      ['apiBaseUrl', 'TWILIO_API_BASE_URL', false, false],
      ['webhookBaseUrl', 'TWILIO_WEBHOOK_BASE_URL', false, false],
      ['sendRatePerSecond', 'TWILIO_SEND_RATE', false, false],
      ['timeoutMs', 'TWILIO_TIMEOUT_MS', false, false],
    ])
  })

  it('defaults the API base URL and the timeout', () => {
    const config = TwilioConfig.parse({ accountSid: SID, authToken: 't' })
    assert.equal(config.apiBaseUrl, 'https://api.twilio.com')
    assert.equal(config.timeoutMs, 10_000)
    assert.equal(config.messagingServiceSid, undefined)
  })

  it('takes attributes as Unified Admin sends them: strings, and "" for unset', () => {
    const config = TwilioConfig.parse({
      accountSid: SID,
      authToken: 't',
      messagingServiceSid: '',
      apiBaseUrl: '',
      webhookBaseUrl: ' ',
      sendRatePerSecond: '2.5',
      timeoutMs: '1500',
    })
    assert.equal(config.messagingServiceSid, undefined)
    assert.equal(config.apiBaseUrl, 'https://api.twilio.com')
    assert.equal(config.webhookBaseUrl, undefined)
    assert.equal(config.sendRatePerSecond, 2.5)
    assert.equal(config.timeoutMs, 1500)
  })

  const refused: Array<[string, Record<string, unknown>, RegExp]> = [
    ['no account', { authToken: 't' }, /accountSid/],
    ['an account SID of the wrong shape', { accountSid: 'AC123', authToken: 't' }, /32 hex/],
    ['no auth token', { accountSid: SID }, /authToken/],
    ['an empty auth token', { accountSid: SID, authToken: '' }, /TWILIO_AUTH_TOKEN/],
    [
      'a Messaging Service SID of the wrong shape',
      { accountSid: SID, authToken: 't', messagingServiceSid: 'PN1' },
      /MG/,
    ],
    [
      'a non-HTTP API base URL',
      { accountSid: SID, authToken: 't', apiBaseUrl: 'ftp://x' },
      /apiBaseUrl/,
    ],
    ['a zero rate', { accountSid: SID, authToken: 't', sendRatePerSecond: 0 }, /sendRatePerSecond/],
  ]
  for (const [name, input, message] of refused) {
    it(`refuses ${name}`, () => {
      const result = TwilioConfig.safeParse(input)
      assert.equal(result.success, false)
      const text = result.success
        ? ''
        : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
      assert.match(text, message)
    })
  }

  it('redacts the auth token', () => {
    const config = TwilioConfig.parse({ accountSid: SID, authToken: 'super-secret-token' })
    assert.doesNotMatch(JSON.stringify(redactConfig(TwilioConfig, config)), /super-secret-token/)
  })
})
