import assert from 'node:assert/strict'
import { test } from 'node:test'
import { z } from 'zod'
import { attribute, attributesToConfig, describeConfig, secret } from './config.js'

const Config = z.object({
  accountSid: attribute(z.string(), { key: 'TWILIO_ACCOUNT_SID' }),
  authToken: secret(z.string(), { key: 'TWILIO_AUTH_TOKEN' }),
  secure: attribute(z.boolean().default(false), { key: 'SMPP-SECURE', valueType: 'Boolean' }),
  port: attribute(z.number().int().default(2775), {
    key: 'SMPP-REMOTE-PORT',
    valueType: 'PositiveNumber',
  }),
  tags: attribute(z.array(z.string()).default([]), { key: 'TAGS', valueType: 'StringList' }),
  timeoutMs: z.number().default(5000),
})

test('attributes map to the fields that carry their keys, coerced by value type', () => {
  const { config, unknownKeys } = attributesToConfig(Config, [
    { key: 'TWILIO_ACCOUNT_SID', type: 'String100', value: 'AC1' },
    { key: 'TWILIO_AUTH_TOKEN', type: 'Password', value: 'tok' },
    { key: 'SMPP-SECURE', type: 'Boolean', value: 'true' },
    { key: 'SMPP-REMOTE-PORT', type: 'PositiveNumber', value: '2776' },
    { key: 'TAGS', type: 'StringList', value: 'a, b,,c' },
    { key: 'SOMETHING-ELSE', type: 'String100', value: 'x' },
  ])
  assert.deepEqual(config, {
    accountSid: 'AC1',
    authToken: 'tok',
    secure: true,
    port: 2776,
    tags: ['a', 'b', 'c'],
  })
  assert.deepEqual(unknownKeys, ['SOMETHING-ELSE'])
  assert.equal(Config.parse(config).timeoutMs, 5000)
})

test('an empty optional attribute leaves the default; a bad value is left for the schema to name', () => {
  const { config } = attributesToConfig(Config, [
    { key: 'SMPP-REMOTE-PORT', value: '' },
    { key: 'SMPP-SECURE', value: 'maybe' },
  ])
  assert.deepEqual(config, { secure: 'maybe' })
  const result = Config.safeParse({ ...config, accountSid: 'a', authToken: 'b' })
  assert.equal(result.success, false)
  assert.deepEqual(result.error?.issues[0]?.path, ['secure'])
})

test('describeConfig reports keys, secrets and inferred value types', () => {
  const fields = describeConfig(Config)
  const byName = Object.fromEntries(fields.map((f) => [f.name, f]))
  assert.equal(byName.authToken?.secret, true)
  assert.equal(byName.authToken?.valueType, 'Password')
  assert.equal(byName.port?.required, false)
  assert.equal(byName.port?.defaultValue, 2775)
  assert.equal(byName.timeoutMs?.key, undefined)
  assert.equal(byName.timeoutMs?.valueType, 'Number')
})
