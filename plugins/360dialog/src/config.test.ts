import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { attributesToConfig, describeConfig, redactConfig } from '@plugboard/sdk'
import { Dialog360Config } from './config.js'
import { hostUrlWarning } from './endpoints.js'

const TOKEN = 'a-webhook-token-of-some-length'

describe('Dialog360Config', () => {
  it('maps every field to its Unified Admin attribute', () => {
    const fields = describeConfig(Dialog360Config).map((f) => [f.name, f.key, f.required, f.secret])
    assert.deepEqual(fields, [
      ['apiKey', 'API-KEY', true, true],
      ['hostUrl', 'HOST-URL', false, false],
      ['phoneNumber', 'PHONE-NUMBER', false, false],
      ['registerWebhook', 'REGISTER-WEBHOOK', false, false],
      ['webhookToken', 'WEBHOOK-TOKEN', false, true],
      ['webhookTokenHeader', 'WEBHOOK-TOKEN-HEADER', false, false],
      ['partnerSecret', 'PARTNER-WEBHOOK-SECRET', false, true],
      ['webhookBaseUrl', 'WEBHOOK-BASE-URL', false, false],
      ['timeoutMs', 'TIMEOUT-MS', false, false],
    ])
  })

  it('keeps Expertflow’s attribute keys and value types for HOST-URL and API-KEY', () => {
    const byKey = new Map(describeConfig(Dialog360Config).map((f) => [f.key, f]))
    assert.equal(byKey.get('HOST-URL')?.valueType, 'String100')
    assert.equal(byKey.get('API-KEY')?.valueType, 'String100')
  })

  it('defaults the host to the Cloud API, the header, the timeout and registration off', () => {
    const config = Dialog360Config.parse({ apiKey: 'k', webhookToken: TOKEN })
    assert.equal(config.hostUrl, 'https://waba-v2.360dialog.io')
    assert.equal(config.webhookTokenHeader, 'X-Plugboard-Token')
    assert.equal(config.timeoutMs, 10_000)
    assert.equal(config.registerWebhook, false)
  })

  it('takes attributes as Unified Admin pushes them: strings, "" for unset', () => {
    const { config, unknownKeys } = attributesToConfig(Dialog360Config, [
      { key: 'HOST-URL', type: 'String100', value: 'https://waba-sandbox.360dialog.io' },
      { key: 'API-KEY', type: 'String100', value: 'X4IpWk_sandbox' },
      { key: 'REGISTER-WEBHOOK', type: 'Boolean', value: 'true' },
      { key: 'PHONE-NUMBER', type: 'PhoneNumber', value: '' },
      { key: 'TIMEOUT-MS', type: 'PositiveNumber', value: '2500' },
    ])
    assert.deepEqual(unknownKeys, [])
    const parsed = Dialog360Config.parse(config)
    assert.equal(parsed.hostUrl, 'https://waba-sandbox.360dialog.io')
    assert.equal(parsed.apiKey, 'X4IpWk_sandbox')
    assert.equal(parsed.registerWebhook, true)
    assert.equal(parsed.phoneNumber, undefined)
    assert.equal(parsed.timeoutMs, 2500)
    assert.equal(
      Dialog360Config.parse({ ...config, registerWebhook: 'false', webhookToken: TOKEN })
        .registerWebhook,
      false,
    )
  })

  const refused: Array<[string, Record<string, unknown>, RegExp]> = [
    ['no API key', { webhookToken: TOKEN }, /apiKey/],
    ['an empty API key', { apiKey: ' ', webhookToken: TOKEN }, /API-KEY is required/],
    ['a host that is no URL', { apiKey: 'k', webhookToken: TOKEN, hostUrl: 'waba' }, /hostUrl/],
    ['a short webhook token', { apiKey: 'k', webhookToken: 'short' }, /16 characters/],
    [
      'a header name with spaces',
      { apiKey: 'k', webhookToken: TOKEN, webhookTokenHeader: 'X Token' },
      /header name/,
    ],
    [
      'a phone number of letters',
      { apiKey: 'k', webhookToken: TOKEN, phoneNumber: 'abc' },
      /PHONE-NUMBER/,
    ],
    [
      'no way to authenticate webhooks',
      { apiKey: 'k' },
      /WEBHOOK-TOKEN.*REGISTER-WEBHOOK.*PARTNER-WEBHOOK-SECRET/,
    ],
  ]
  for (const [name, input, message] of refused) {
    it(`refuses ${name}`, () => {
      const result = Dialog360Config.safeParse(input)
      assert.equal(result.success, false)
      assert.match(JSON.stringify(result.error?.issues), message)
    })
  }

  it('authenticates webhooks with registration, a token or a partner secret', () => {
    for (const extra of [
      { registerWebhook: true },
      { webhookToken: TOKEN },
      { partnerSecret: 's' },
    ]) {
      assert.ok(Dialog360Config.safeParse({ apiKey: 'k', ...extra }).success, JSON.stringify(extra))
    }
  })

  it('redacts the API key, the token and the partner secret', () => {
    const redacted = redactConfig(Dialog360Config, {
      apiKey: 'secret-key',
      webhookToken: TOKEN,
      partnerSecret: 'partner',
      hostUrl: 'https://waba-v2.360dialog.io',
    }) as Record<string, unknown>
    assert.equal(redacted.apiKey, '[redacted]')
    assert.equal(redacted.webhookToken, '[redacted]')
    assert.equal(redacted.partnerSecret, '[redacted]')
    assert.equal(redacted.hostUrl, 'https://waba-v2.360dialog.io')
  })
})

describe('hostUrlWarning', () => {
  it('warns about the On-Premise hosts only', () => {
    assert.match(hostUrlWarning('https://waba.360dialog.io') ?? '', /waba-v2\.360dialog\.io/)
    assert.match(hostUrlWarning('https://waba-sandbox.360dialog.io') ?? '', /On-Premise/)
    assert.equal(hostUrlWarning('https://waba-v2.360dialog.io'), undefined)
    assert.equal(hostUrlWarning('http://127.0.0.1:4000'), undefined)
  })
})
