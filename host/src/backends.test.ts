import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { isHostError, loadConfig } from '@plugboard/core'
import { brokerOptions } from './backends.js'
import { createHost } from './host.js'

const load = (env: Record<string, string>, raw: Record<string, unknown> = {}) =>
  loadConfig({ raw, env }).config

describe('broker, state, SendSms and CRM settings', () => {
  it('maps CCM’s AMQ_*, CONSUMER_*, PUBLISHER_ENABLE and CRM_* variables', () => {
    const config = load({
      AMQ_PRIMARY: 'failover:(tcp://mq-a:5672,tcp://mq-b:5672)',
      AMQ_USERNAME: 'plugboard',
      AMQ_PASSWORD: 's3cret',
      AMQ_TIMEOUT: '3000',
      AMQ_PREFETCH_SIZE: '20',
      AMQ_PRIORITY_BACKUP: 'true',
      AMQ_PROTOCOL: '1.0',
      PIPELINE_BACKEND: 'broker',
      PIPELINE_SHARDS: '8',
      STATE_BACKEND: 'redis',
      REDIS_URL: 'redis://redis:6379',
      CONSUMER_ENABLE: 'true',
      AMQ_OUTBOUND_QUEUE: 'outbound-sms',
      SENDSMS_CONNECTOR: 'tw-main',
      SENDSMS_FROM: '+15550100',
      PUBLISHER_ENABLE: 'true',
      AMQ_DELIVERY_QUEUE: 'sms-delivery',
      CRM_API_URL: 'https://crm.example.test/sms',
      CRM_API_USER: 'crm',
      CRM_API_PASSWORD: 'crm-pass',
    })
    assert.equal(config.pipeline.backend, 'broker')
    assert.equal(config.pipeline.shards, 8)
    assert.deepEqual(config.state, {
      backend: 'redis',
      url: 'redis://redis:6379',
      keyPrefix: 'plugboard:',
    })
    assert.deepEqual(
      [
        config.sendSms.enabled,
        config.sendSms.queue,
        config.sendSms.connector,
        config.sendSms.serviceIdentifier,
      ],
      [true, 'outbound-sms', 'tw-main', '+15550100'],
    )
    assert.deepEqual(config.sendSms.reports, { enabled: true, queue: 'sms-delivery' })
    assert.equal(config.crm.url, 'https://crm.example.test/sms')
    assert.equal(config.crm.disabled, false)
    const options = brokerOptions(config)
    assert.equal(options.protocol, 'amqp10')
    assert.equal(options.primary.url, 'amqp://plugboard:s3cret@mq-a:5672')
    assert.equal(options.secondary?.url, 'amqp://plugboard:s3cret@mq-b:5672')
    assert.equal(options.connectTimeoutMs, 3000)
    assert.equal(options.prefetch, 20)
    assert.equal(options.priorityBackup, true)
  })

  it('takes AMQ_HOST/AMQ_PORT and TLS, and the same keys from the config file', () => {
    const fromEnv = brokerOptions(
      load({ AMQ_HOST: 'mq', AMQ_PORT: '5671', AMQ_SSL_ENABLED: 'true', AMQ_SSL_CA: '/ca.pem' }),
    )
    assert.equal(fromEnv.primary.url, 'amqps://mq:5671')
    assert.deepEqual(fromEnv.tls, { caFile: '/ca.pem' })
    const fromFile = brokerOptions(
      load({}, { broker: { primary: 'amqp://mq:5672', protocol: 'amqp091' } }),
    )
    assert.equal(fromFile.primary.url, 'amqp://mq:5672')
  })

  it('CONSUMER_ENABLED wins over CONSUMER_ENABLE; IS_CRM_UPDATE_DISABLED turns the CRM off', () => {
    const config = load({
      CONSUMER_ENABLE: 'true',
      CONSUMER_ENABLED: 'false',
      IS_CRM_UPDATE_DISABLED: 'true',
      CRM_API_URL: 'https://crm.example.test',
    })
    assert.equal(config.sendSms.enabled, false)
    assert.equal(config.crm.disabled, true)
  })

  it('names what is missing', () => {
    const problems = (env: Record<string, string>) => {
      try {
        load(env)
        return ''
      } catch (error) {
        assert.ok(isHostError(error, 'CONFIG_INVALID'))
        return error.message
      }
    }
    assert.match(problems({ STATE_BACKEND: 'redis' }), /STATE_BACKEND=redis needs REDIS_URL/)
    assert.match(problems({ CONSUMER_ENABLED: 'true' }), /SENDSMS_CONNECTOR/)
    assert.throws(
      () => brokerOptions(load({ PIPELINE_BACKEND: 'broker' })),
      /set AMQ_PRIMARY \(or AMQ_HOST\)/,
    )
  })
})

describe('readiness with a broker', () => {
  it('/readyz says not ready, with the reason, while the broker cannot be reached', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plugboard-backends-'))
    const host = await createHost({
      config: {
        port: 0,
        host: '127.0.0.1',
        log: { level: 'silent' },
        ccm: { url: 'http://127.0.0.1:9' },
        store: { path: join(dir, 'store.db') },
        plugins: { dirs: [], dependencies: false },
        pipeline: { backend: 'broker' },
        broker: { primary: 'amqp://127.0.0.1:1', timeoutMs: 300 },
      },
      env: {},
      watch: false,
    })
    try {
      const res = await host.app.request('/readyz')
      assert.equal(res.status, 503)
      const body = (await res.json()) as { reason: string; detail: { endpoint?: string } }
      assert.equal(body.reason, 'broker disconnected')
      assert.ok(!JSON.stringify(body).includes('guest'), 'no credentials')
      await assert.rejects(
        host.pipeline.submit({
          direction: 'outbound',
          connectorId: 'x',
          message: {
            id: 'm',
            header: { channelData: { serviceIdentifier: 's', channelCustomerIdentifier: 'c' } },
            body: { type: 'PLAIN', markdownText: 'x' },
          } as never,
        }),
        (error: unknown) => isHostError(error, 'BROKER_UNAVAILABLE') && error.status === 503,
      )
    } finally {
      await host.stop()
    }
  })
})
