import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { describeConfig, redactConfig } from '@plugboard/sdk'
import { SmppConfig } from './config.js'

const minimal = { host: 'smsc.example.net', systemId: 'acct', password: 'pw12' }

describe('SmppConfig', () => {
  it("maps Expertflow's SMPP connector attributes", () => {
    const keys = Object.fromEntries(describeConfig(SmppConfig).map((f) => [f.key, f.name]))
    assert.deepEqual(
      {
        'SMPP-REMOTE-IP-ADDRESS': keys['SMPP-REMOTE-IP-ADDRESS'],
        'SMPP-REMOTE-PORT': keys['SMPP-REMOTE-PORT'],
        'SMPP-SYSTEM-ID': keys['SMPP-SYSTEM-ID'],
        'SMPP-PASSWORD': keys['SMPP-PASSWORD'],
        'SMPP-SYSTEM-TYPE': keys['SMPP-SYSTEM-TYPE'],
        'SMPP-BIND-TYPE': keys['SMPP-BIND-TYPE'],
        'SMPP-FROM-NUMBER': keys['SMPP-FROM-NUMBER'],
        'SMPP-NUMBER-TYPE': keys['SMPP-NUMBER-TYPE'],
        'SMPP-SECURE': keys['SMPP-SECURE'],
        'PUBLISHER-ENABLE': keys['PUBLISHER-ENABLE'],
      },
      {
        'SMPP-REMOTE-IP-ADDRESS': 'host',
        'SMPP-REMOTE-PORT': 'port',
        'SMPP-SYSTEM-ID': 'systemId',
        'SMPP-PASSWORD': 'password',
        'SMPP-SYSTEM-TYPE': 'systemType',
        'SMPP-BIND-TYPE': 'bindType',
        'SMPP-FROM-NUMBER': 'fromNumber',
        'SMPP-NUMBER-TYPE': 'numberType',
        'SMPP-SECURE': 'secure',
        'PUBLISHER-ENABLE': 'publishDeliveryReports',
      },
    )
    const fields = describeConfig(SmppConfig)
    assert.deepEqual(
      fields.filter((f) => f.required).map((f) => f.name),
      ['host', 'systemId', 'password'],
    )
    assert.deepEqual(
      fields.filter((f) => f.secret).map((f) => f.name),
      ['password'],
    )
    assert.ok(
      fields.every((f) => f.key),
      'every field has an attribute key',
    )
  })

  it('has working defaults', () => {
    const config = SmppConfig.parse(minimal)
    assert.equal(config.port, 2775)
    assert.equal(config.bindType, 'transceiver')
    assert.equal(config.numberType, 'numeric')
    assert.equal(config.secure, false)
    assert.equal(config.window, 10)
    assert.equal(config.tps, 0)
    assert.equal(config.registeredDelivery, true)
    assert.equal(config.tlsRejectUnauthorized, true)
  })

  it('reads attribute values given as text, as Unified Admin stores them', () => {
    const config = SmppConfig.parse({
      ...minimal,
      port: '3550',
      bindType: '1',
      numberType: '1',
      secure: 'true',
      publishDeliveryReports: 'false',
      tps: '',
      window: ' 20 ',
    })
    assert.equal(config.port, 3550)
    assert.equal(config.bindType, 'receiver')
    assert.equal(config.numberType, 'alphanumeric')
    assert.equal(config.secure, true)
    assert.equal(config.publishDeliveryReports, false)
    assert.equal(config.tps, 0)
    assert.equal(config.window, 20)
    assert.equal(SmppConfig.parse({ ...minimal, bindType: 0 }).bindType, 'transmitter')
    assert.equal(SmppConfig.parse({ ...minimal, bindType: 'TRX' }).bindType, 'transceiver')
  })

  const invalid: Array<[string, Record<string, unknown>, string]> = [
    ['a missing host', { systemId: 'a', password: 'p' }, 'host'],
    [
      'a bind type of 3',
      { ...minimal, bindType: 3 },
      'use 0 (transmitter), 1 (receiver) or 2 (transceiver)',
    ],
    ['a port of 0', { ...minimal, port: 0 }, 'port'],
    ['a secure flag that is no boolean', { ...minimal, secure: 'maybe' }, 'secure'],
  ]
  for (const [name, input, expected] of invalid) {
    it(`refuses ${name}`, () => {
      const result = SmppConfig.safeParse(input)
      assert.equal(result.success, false)
      assert.match(
        JSON.stringify(result.error?.issues),
        new RegExp(expected.replace(/[()]/g, '\\$&')),
      )
    })
  }

  it('redacts the password', () => {
    const config = SmppConfig.parse(minimal)
    assert.equal((redactConfig(SmppConfig, config) as { password: string }).password, '[redacted]')
  })
})
