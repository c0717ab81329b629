import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { attributesToConfig, describeConfig, PluginError, redactConfig } from '@plugboard/sdk'
import { FacebookConfig, pageToken, resolveAppSecret } from './config.js'

const base = { verifyToken: 'v', pageAccessToken: 'EAAdefault' }

describe('FacebookConfig', () => {
  it('maps every field to its Unified Admin attribute, Expertflow’s keys included', () => {
    const fields = describeConfig(FacebookConfig).map((f) => [f.name, f.key, f.required, f.secret])
    assert.deepEqual(fields, [
      ['appSecret', 'FACEBOOK-APP-SECRET', false, true],
      ['verifyToken', 'FACEBOOK-PAGE-ACCESS-TOKEN', true, true],
      ['pageAccessToken', 'FACEBOOK-API-KEY', false, true],
      ['pageTokens', 'FACEBOOK-PAGE-TOKENS', false, true],
      ['apiBaseUrl', 'FACEBOOK-HOST-URL', false, false],
      ['humanAgentTag', 'FACEBOOK-HUMAN-AGENT-TAG', false, false],
      ['sendRatePerSecond', 'FACEBOOK-SEND-RATE', false, false],
      ['timeoutMs', 'FACEBOOK-TIMEOUT-MS', false, false],
    ])
  })

  it('defaults the Graph URL, the tag and the timeout', () => {
    const config = FacebookConfig.parse(base)
    assert.equal(config.apiBaseUrl, 'https://graph.facebook.com/v21.0')
    assert.equal(config.humanAgentTag, false)
    assert.equal(config.timeoutMs, 10_000)
    assert.equal(config.sendRatePerSecond, undefined)
  })

  it('takes an Expertflow connector’s attributes as Unified Admin sends them', () => {
    const { config, unknownKeys } = attributesToConfig(FacebookConfig, [
      { key: 'FACEBOOK-HOST-URL', type: 'URL', value: 'https://graph.facebook.com/v15.0/' },
      { key: 'FACEBOOK-API-KEY', type: 'String2000', value: 'EAApage' },
      { key: 'FACEBOOK-PAGE-ACCESS-TOKEN', type: 'String2000', value: 'my-verify-token' },
      { key: 'EDIT_MESSAGE_SUPPORT_SM', type: 'Boolean', value: 'false' },
    ])
    assert.deepEqual(unknownKeys, ['EDIT_MESSAGE_SUPPORT_SM'])
    const parsed = FacebookConfig.parse(config)
    assert.equal(parsed.apiBaseUrl, 'https://graph.facebook.com/v15.0/')
    assert.equal(parsed.pageAccessToken, 'EAApage')
    assert.equal(parsed.verifyToken, 'my-verify-token')
  })

  it('reads page tokens as a map, as JSON or as id:token pairs; "" means unset', () => {
    const map = { '111': 'EAAone', '222': 'EAAtwo' }
    for (const pageTokens of [
      map,
      JSON.stringify(map),
      '111:EAAone, 222:EAAtwo',
      '111:EAAone\n222:EAAtwo',
    ]) {
      const config = FacebookConfig.parse({ verifyToken: 'v', pageTokens })
      assert.deepEqual(config.pageTokens, map)
      assert.equal(pageToken(config, '222'), 'EAAtwo')
      assert.equal(pageToken(config, '333'), undefined)
    }
    const fallback = FacebookConfig.parse({
      ...base,
      pageTokens: '',
      humanAgentTag: 'true',
      sendRatePerSecond: '50',
    })
    assert.equal(fallback.pageTokens, undefined)
    assert.equal(pageToken(fallback, '333'), 'EAAdefault')
    assert.equal(fallback.humanAgentTag, true)
    assert.equal(fallback.sendRatePerSecond, 50)
    const both = FacebookConfig.parse({ ...base, pageTokens: { '111': 'EAAone' } })
    assert.equal(pageToken(both, '111'), 'EAAone')
    assert.equal(pageToken(both, '999'), 'EAAdefault')
  })

  const refused: Array<[string, Record<string, unknown>, RegExp]> = [
    ['no verify token', { pageAccessToken: 't' }, /verifyToken/],
    ['no page token at all', { verifyToken: 'v' }, /FACEBOOK-API-KEY/],
    [
      'page tokens keyed by a name',
      { verifyToken: 'v', pageTokens: { mypage: 't' } },
      /page ids are digits/,
    ],
    [
      'page tokens that are no map',
      { verifyToken: 'v', pageTokens: 'EAAjusttoken' },
      /FACEBOOK-PAGE-TOKENS/,
    ],
    ['a non-HTTP Graph URL', { ...base, apiBaseUrl: 'ftp://graph' }, /apiBaseUrl/],
    ['a zero send rate', { ...base, sendRatePerSecond: 0 }, /sendRatePerSecond/],
    ['a tag flag that is no boolean', { ...base, humanAgentTag: 'maybe' }, /humanAgentTag/],
  ]
  for (const [name, input, message] of refused) {
    it(`refuses ${name}`, () => {
      const result = FacebookConfig.safeParse(input)
      assert.equal(result.success, false)
      const text = result.success
        ? ''
        : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
      assert.match(text, message)
    })
  }

  it('redacts every token and the app secret', () => {
    const config = FacebookConfig.parse({
      appSecret: 'app-secret-value',
      verifyToken: 'verify-token-value',
      pageAccessToken: 'EAApage-token-value',
      pageTokens: { '1': 'EAAother-token-value' },
    })
    const text = JSON.stringify(redactConfig(FacebookConfig, config))
    assert.doesNotMatch(
      text,
      /app-secret-value|verify-token-value|page-token-value|other-token-value/,
    )
  })
})

describe('resolveAppSecret', () => {
  it('prefers the config, then FACEBOOK_APP_SECRET', () => {
    const config = FacebookConfig.parse(base)
    assert.equal(
      resolveAppSecret(FacebookConfig.parse({ ...base, appSecret: 'a' }), {
        FACEBOOK_APP_SECRET: 'b',
      }),
      'a',
    )
    assert.equal(resolveAppSecret(config, { FACEBOOK_APP_SECRET: ' b ' }), 'b')
  })

  it('refuses to start without one, saying where to set it', () => {
    assert.throws(
      () => resolveAppSecret(FacebookConfig.parse(base), {}),
      (e) =>
        e instanceof PluginError &&
        e.code === 'FACEBOOK_APP_SECRET_MISSING' &&
        /FACEBOOK_APP_SECRET/.test(e.message),
    )
  })
})
