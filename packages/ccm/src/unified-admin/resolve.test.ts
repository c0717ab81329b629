import assert from 'node:assert/strict'
import { test } from 'node:test'
import { attribute, definePlugin, secret, z } from '@plugboard/sdk'
import type { UnifiedAdminChannel } from './model.js'
import { resolveSnapshot } from './resolve.js'

const plugin = (id: string, keys: string[]) =>
  definePlugin({
    id,
    channelTypes: ['SMS'],
    config: z.object(
      Object.fromEntries(
        keys.map((key, i) => [
          `f${i}`,
          i === 1 ? secret(z.string(), { key }) : attribute(z.string(), { key }),
        ]),
      ),
    ),
    setup: () => ({ send: async () => ({}) }),
  })

const twilio = plugin('twilio', ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN'])
const dialog = plugin('360dialog', ['HOST-URL', 'API-KEY'])
const plugins = [twilio, dialog]

const channel = (
  sid: string,
  provider: string,
  attributes: Record<string, string>,
  connectorId = `c-${sid}`,
): UnifiedAdminChannel => ({
  serviceIdentifier: sid,
  channelType: 'SMS',
  connector: { id: connectorId, name: 'n' },
  provider: { name: provider },
  attributes: Object.entries(attributes).map(([key, value]) => ({ key, value })),
})

test('the plugin is found by provider name, then by attribute keys, then by the providers map', () => {
  const resolved = resolveSnapshot(
    {
      channels: {
        a: channel('a', 'Twilio Connector', { TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 't' }),
        b: channel('b', 'WA partner', { 'HOST-URL': 'https://waba', 'API-KEY': 'k' }),
        c: channel('c', 'Odd name', {}),
      },
    },
    {
      refs: [{ serviceIdentifier: 'a' }, { serviceIdentifier: 'b' }, { serviceIdentifier: 'c' }],
      plugins,
      providers: { 'Odd name': 'twilio' },
    },
  )
  assert.deepEqual(
    resolved.connectors.map((c) => [c.id, c.plugin]),
    [
      ['c-a', 'twilio'],
      ['c-b', '360dialog'],
      ['c-c', 'twilio'],
    ],
  )
  assert.deepEqual(resolved.connectors[0]?.config, { f0: 'AC1', f1: 't' })
  assert.deepEqual(resolved.problems, [])
})

test('channels of one Unified Admin connector share one host connector; ids can be chosen', () => {
  const attrs = { TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 't', EXTRA: 'x' }
  const resolved = resolveSnapshot(
    {
      channels: {
        '+1': channel('+1', 'Twilio', attrs, 'shared'),
        'whatsapp:+1': channel('whatsapp:+1', 'Twilio', attrs, 'shared'),
        '+2': channel('+2', 'Twilio', attrs, '65a9 weird id'),
      },
    },
    {
      refs: [
        { serviceIdentifier: '+1' },
        { serviceIdentifier: 'whatsapp:+1' },
        { serviceIdentifier: '+2', connector: 'tw-second' },
      ],
      plugins,
    },
  )
  assert.deepEqual(
    resolved.connectors.map((c) => c.id),
    ['shared', 'tw-second'],
  )
  assert.deepEqual(resolved.connectors[0]?.unknownKeys, ['EXTRA'])
  assert.deepEqual(
    resolved.channels.map((c) => [c.serviceIdentifier, c.connector]),
    [
      ['+1', 'shared'],
      ['whatsapp:+1', 'shared'],
      ['+2', 'tw-second'],
    ],
  )
})

test('what cannot be resolved is a problem naming the fix, and other channels still resolve', () => {
  const resolved = resolveSnapshot(
    {
      channels: {
        a: channel('a', 'Mystery', { SOMETHING: '1' }),
        b: channel('b', 'Twilio', {}),
        c: channel('c', 'Twilio', {}, 'b-conn'),
      },
    },
    {
      refs: [
        { serviceIdentifier: 'a' },
        { serviceIdentifier: 'b', plugin: 'nope' },
        { serviceIdentifier: 'c' },
        { serviceIdentifier: 'not-pulled' },
      ],
      plugins,
    },
  )
  assert.equal(resolved.problems.length, 2)
  assert.match(resolved.problems[0]!.message, /unifiedAdmin\.providers/)
  assert.match(resolved.problems[1]!.message, /plugin 'nope'.*not installed/)
  assert.deepEqual(
    resolved.connectors.map((c) => c.id),
    ['b-conn'],
  )
})
