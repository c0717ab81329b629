import assert from 'node:assert/strict'
import { test } from 'node:test'
import { attributesToConfig, describeConfig, secretFields } from '@plugboard/sdk'
import { ByocConfig } from './config.js'

const required = {
  channelId: 'chat_1',
  apiUrl: 'https://api-de-na1.niceincontact.com',
  accessKeyId: 'AK1',
  accessKeySecret: 'secret-1',
  clientId: 'client',
  clientSecret: 'client-secret',
  middlewareClientId: 'byoc',
  middlewareClientSecret: 'a-middleware-secret-of-length',
}

test('defaults follow the BYOC expectations: 2-minute idle prompt, 20-second countdown', () => {
  const config = ByocConfig.parse(required)
  assert.equal(config.authUrl, 'https://cxone.niceincontact.com/auth/token')
  assert.equal(config.idlePromptSeconds, 120)
  assert.equal(config.idleCountdownSeconds, 20)
  assert.equal(config.idlePromptText, 'Are you still there?')
  assert.equal(config.afterAgentEnd, 'new-thread')
  assert.equal(config.tokenTtlSeconds, 3600)
})

test('Unified Admin attributes fill the config; blanks mean the default', () => {
  const { config, unknownKeys } = attributesToConfig(ByocConfig, [
    { key: 'CXONE_CHANNEL_ID', value: 'chat_9' },
    { key: 'CXONE_API_URL', value: 'https://api-de-eu1.niceincontact.com' },
    { key: 'CXONE_ACCESS_KEY_ID', value: 'AK' },
    { key: 'CXONE_ACCESS_KEY_SECRET', value: 'k' },
    { key: 'CXONE_CLIENT_ID', value: 'c' },
    { key: 'CXONE_CLIENT_SECRET', value: 's' },
    { key: 'BYOC_CLIENT_ID', value: 'b' },
    { key: 'BYOC_CLIENT_SECRET', value: 'sixteen-chars-or-more' },
    { key: 'BYOC_IDLE_PROMPT_SECONDS', value: '0' },
    { key: 'BYOC_AFTER_AGENT_END', value: 'notice' },
    { key: 'CXONE_AUTH_URL', value: '' },
  ])
  assert.deepEqual(unknownKeys, [])
  const parsed = ByocConfig.parse(config)
  assert.equal(parsed.idlePromptSeconds, 0)
  assert.equal(parsed.afterAgentEnd, 'notice')
  assert.equal(parsed.authUrl, 'https://cxone.niceincontact.com/auth/token')
})

test('secrets are marked, so they are redacted everywhere', () => {
  assert.deepEqual(secretFields(ByocConfig).sort(), [
    'accessKeySecret',
    'clientSecret',
    'middlewareClientSecret',
  ])
  assert.ok(describeConfig(ByocConfig).every((f) => f.key !== undefined))
})

test('refusals name the attribute to fix', () => {
  const result = ByocConfig.safeParse({ ...required, middlewareClientSecret: 'short' })
  assert.equal(result.success, false)
  assert.match(JSON.stringify(result.error?.issues), /BYOC_CLIENT_SECRET needs at least 16/)
})
