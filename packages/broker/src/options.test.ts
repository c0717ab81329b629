import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isBrokerError } from './errors.js'
import { brokerOptionsFromEnv, resolveBrokerOptions } from './options.js'

test('no AMQ_PRIMARY and no AMQ_HOST means no broker', () => {
  assert.equal(brokerOptionsFromEnv({}), undefined)
})

test('maps the AMQ_* variables', () => {
  const options = brokerOptionsFromEnv({
    AMQ_PRIMARY: 'amqp://app:s3cret@mq-a:5672/cx',
    AMQ_SECONDARY: 'mq-b',
    AMQ_PORT: '5673',
    AMQ_TIMEOUT: '3000',
    AMQ_PRIORITY_BACKUP: 'true',
    AMQ_RANDOMIZE: 'false',
    AMQ_PREFETCH_SIZE: '250',
    AMQ_PROTOCOL: 'amqp10',
  })
  assert.deepEqual(options, {
    protocol: 'amqp10',
    primary: { url: 'amqp://app:s3cret@mq-a:5672/cx' },
    secondary: { url: 'amqp://mq-b:5673' },
    priorityBackup: true,
    randomize: false,
    connectTimeoutMs: 3000,
    prefetch: 250,
  })
})

test('AMQ_HOST/AMQ_PORT, credentials from AMQ_USERNAME/AMQ_PASSWORD, 0-9-1 by default', () => {
  const options = brokerOptionsFromEnv({
    AMQ_HOST: 'rabbit',
    AMQ_PORT: '5672',
    AMQ_USERNAME: 'app',
    AMQ_PASSWORD: 'p@ss:word',
  })
  assert.equal(options?.protocol, 'amqp091')
  assert.equal(options?.primary.url, 'amqp://app:p%40ss%3Aword@rabbit:5672')
})

test('ActiveMQ forms: tcp://, ssl:// and failover:(a,b) with their query options dropped', () => {
  const options = brokerOptionsFromEnv({
    AMQ_PRIMARY: 'failover:(tcp://mq-a:5672?wireFormat.maxInactivityDuration=0,ssl://mq-b:5671)',
  })
  assert.equal(options?.primary.url, 'amqp://mq-a:5672')
  assert.equal(options?.secondary?.url, 'amqps://mq-b:5671')
})

test('AMQ_SSL_ENABLED makes every endpoint amqps and takes the PEM paths', () => {
  const options = brokerOptionsFromEnv({
    AMQ_PRIMARY: 'mq-a:5671',
    AMQ_SSL_ENABLED: 'true',
    AMQ_SSL_CA: '/etc/pki/ca.pem',
    AMQ_SSL_CERT: '/etc/pki/client.pem',
    AMQ_SSL_KEY: '/etc/pki/client.key',
  })
  assert.equal(options?.primary.url, 'amqps://mq-a:5671')
  assert.deepEqual(options?.tls, {
    caFile: '/etc/pki/ca.pem',
    certFile: '/etc/pki/client.pem',
    keyFile: '/etc/pki/client.key',
  })
})

test('invalid values name the variable and never echo a password', () => {
  for (const [env, name] of [
    [{ AMQ_HOST: 'h', AMQ_PREFETCH_SIZE: 'lots' }, 'AMQ_PREFETCH_SIZE'],
    [{ AMQ_HOST: 'h', AMQ_RANDOMIZE: 'maybe' }, 'AMQ_RANDOMIZE'],
    [{ AMQ_HOST: 'h', AMQ_PROTOCOL: 'stomp' }, 'AMQ_PROTOCOL'],
    [{ AMQ_PRIMARY: 'http://user:hunter2@h' }, 'AMQ_PRIMARY'],
  ] as const) {
    const error = (() => {
      try {
        brokerOptionsFromEnv(env)
      } catch (e) {
        return e
      }
    })()
    assert.ok(isBrokerError(error, 'BROKER_CONFIG_INVALID'), name)
    assert.match(error.message, new RegExp(name))
    assert.doesNotMatch(error.message, /hunter2/)
  }
})

test('resolveBrokerOptions fills in the defaults and rejects bad options', () => {
  const resolved = resolveBrokerOptions({ protocol: 'amqp091', primary: { url: 'amqp://h' } })
  assert.equal(resolved.prefetch, 100)
  assert.equal(resolved.connectTimeoutMs, 10_000)
  assert.equal(resolved.priorityBackup, false)
  assert.deepEqual(resolved.reconnect, {
    initialDelayMs: 500,
    maxDelayMs: 30_000,
    probeIntervalMs: 5_000,
  })
  assert.throws(
    () => resolveBrokerOptions({ protocol: 'amqp091', primary: { url: 'http://h' }, prefetch: 0 }),
    (e: unknown) =>
      isBrokerError(e, 'BROKER_CONFIG_INVALID') && /AMQ_PREFETCH_SIZE/.test(e.message),
  )
})
