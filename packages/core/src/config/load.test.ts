import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { HostError } from '../errors.js'
import { loadConfig } from './load.js'

function file(contents: string, extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'config-'))
  for (const [name, text] of Object.entries(extra)) writeFileSync(join(dir, name), text)
  const path = join(dir, 'plugboard.yaml')
  writeFileSync(path, contents)
  return path
}

const base = `
connectors:
  - id: sms
    plugin: generic-http
    config:
      outboundUrl: https://gw.example.com/send
      sharedSecret: \${file:secret.txt}
channels:
  - serviceIdentifier: 12345
    connector: sms
`

test('reads YAML, resolves ${env:} and ${file:} references and applies CCM env names', () => {
  const path = file(`${base}ccm:\n  url: \${env:MY_CCM}\n`, { 'secret.txt': 's3cret\n' })
  const { config } = loadConfig({
    file: path,
    env: { MY_CCM: 'http://ccm:8081', PORT: '9090', ADMIN_TOKEN: 'a-long-admin-token-123' },
  })
  assert.equal(config.ccm.url, 'http://ccm:8081')
  assert.equal(config.port, 9090)
  assert.equal(config.admin.token, 'a-long-admin-token-123')
  assert.equal(config.connectors[0]!.config.sharedSecret, 's3cret')
  assert.equal(
    config.channels[0]!.serviceIdentifier,
    '12345',
    'numeric serviceIdentifiers become strings',
  )
  assert.equal(config.channels[0]!.route, 'ccm')
})

test('CCM_URL from the environment overrides the file', () => {
  const path = file(`${base}ccm:\n  url: http://from-file\n`, { 'secret.txt': 'x' })
  assert.equal(
    loadConfig({ file: path, env: { CCM_URL: 'http://from-env' } }).config.ccm.url,
    'http://from-env',
  )
})

test('problems name the file, the path and what is wrong', () => {
  const path = file(
    `connectors:\n  - id: a\n    plugin: x\n  - id: a\n    plugin: y\nchannels:\n  - serviceIdentifier: '1'\n    connector: nope\nport: seventy\n`,
  )
  try {
    loadConfig({ file: path, env: {} })
    assert.fail('should throw')
  } catch (error) {
    assert.ok(error instanceof HostError)
    assert.equal(error.code, 'CONFIG_INVALID')
    assert.match(error.message, new RegExp(`${path}: port: `))
  }
  const semantic = file(
    `connectors:\n  - id: a\n    plugin: x\n  - id: a\n    plugin: y\nchannels:\n  - serviceIdentifier: '1'\n    connector: nope\n`,
  )
  assert.throws(
    () => loadConfig({ file: semantic, env: {} }),
    (e: HostError) =>
      /connectors\[1\]\.id: 'a' is already used by connectors\[0\]/.test(e.message) &&
      /channels\[0\]\.connector: no connector with id 'nope' \(known: a\)/.test(e.message),
  )
})

test('unresolved references and YAML syntax errors are reported with where they are', () => {
  const missing = file('ccm:\n  url: ${env:NOT_SET_ANYWHERE}\n')
  assert.throws(
    () => loadConfig({ file: missing, env: {} }),
    /ccm\.url: environment variable NOT_SET_ANYWHERE is not set/,
  )
  const broken = file('connectors:\n  - id: [unclosed\n')
  assert.throws(
    () => loadConfig({ file: broken, env: {} }),
    (e: HostError) => e.code === 'CONFIG_INVALID' && /line \d+/.test(e.message),
  )
  assert.throws(
    () => loadConfig({ file: '/no/such/plugboard.yaml', env: {} }),
    (e: HostError) => e.code === 'CONFIG_NOT_FOUND',
  )
})

test('log rotation and Unified Admin settings come from CCM-style environment variables', () => {
  const { config } = loadConfig({
    raw: {},
    env: {
      LOG_PATH: '/var/log/plugboard.log',
      LOG_FILE_SIZE: '10MB',
      LOG_BACKUP_FILES: '3',
      LOGS_TOTAL_SIZE: '25MB',
      SERVICE_IDENTIFIERS: '+15550100, whatsapp:+15550100',
      UNIFIED_ADMIN_RESYNC_SECONDS: '60',
      CONNECTOR_CONFIG_ALLOW: '10.1.0.0/16',
      SKILL_GROUPS: 'whatsapp, premium|sms, silver',
      CUSTOMER_INACTIVITY_TIMEOUT: '300',
    },
  })
  assert.equal(config.log.fileSize, 10 * 1024 * 1024)
  assert.equal(config.log.backupFiles, 3)
  assert.equal(config.log.totalSize, 25 * 1024 * 1024)
  assert.deepEqual(
    config.unifiedAdmin.channels.map((c) => c.serviceIdentifier),
    ['+15550100', 'whatsapp:+15550100'],
  )
  assert.equal(config.unifiedAdmin.resyncIntervalMs, 60_000)
  assert.deepEqual(config.unifiedAdmin.push.allow, ['10.1.0.0/16'])
  assert.deepEqual(config.skillGroups, { whatsapp: 'premium', sms: 'silver' })
  assert.equal(config.customerInactivityTimeout, 300)
  assert.throws(
    () => loadConfig({ raw: {}, env: { LOG_FILE_SIZE: 'huge', SKILL_GROUPS: 'whatsapp' } }),
    (e: Error) =>
      /log\.fileSize: 'huge' is not a size/.test(e.message) &&
      /skillGroups\.whatsapp/.test(e.message),
  )
})

test('a channel routes to CCM by default or to another connector that must exist', () => {
  const connectors = [
    { id: 'tw', plugin: 'twilio' },
    { id: 'cx', plugin: 'byoc' },
  ]
  const { config } = loadConfig({
    raw: {
      connectors,
      channels: [
        { serviceIdentifier: '+15550100', connector: 'tw', route: { connector: 'cx' } },
        { serviceIdentifier: '+15550101', connector: 'tw', route: 'ccm' },
      ],
    },
    env: {},
  })
  assert.deepEqual(config.channels[0]!.route, { connector: 'cx' })
  assert.equal(config.channels[1]!.route, 'ccm')
  assert.throws(
    () =>
      loadConfig({
        raw: {
          connectors,
          channels: [
            { serviceIdentifier: '1', connector: 'tw', route: { connector: 'nope' } },
            { serviceIdentifier: '2', connector: 'tw', route: { connector: 'tw' } },
          ],
        },
        env: {},
      }),
    (e: HostError) =>
      /channels\[0\]\.route\.connector: no connector with id 'nope' to route to \(known: tw, cx\)/.test(
        e.message,
      ) && /channels\[1\]\.route\.connector: 'tw' is the channel's own connector/.test(e.message),
  )
  assert.throws(
    () =>
      loadConfig({
        raw: { connectors, channels: [{ serviceIdentifier: '1', connector: 'tw', route: 'cx' }] },
        env: {},
      }),
    (e: HostError) => e.code === 'CONFIG_INVALID' && /channels\[0\]\.route/.test(e.message),
  )
})
