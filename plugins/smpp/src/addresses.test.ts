import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { destinationAddress, msisdnDigits, sourceAddress } from './addresses.js'

const numeric = {
  numberType: 'numeric' as const,
  fromNumber: undefined,
  sourceTon: undefined,
  sourceNpi: undefined,
}

describe('addresses', () => {
  it('sends from the channel number unless SMPP-FROM-NUMBER is set', () => {
    assert.deepEqual(sourceAddress(numeric, '+4930123456'), { addr: '4930123456', ton: 1, npi: 1 })
    assert.deepEqual(sourceAddress({ ...numeric, fromNumber: '+15550001111' }, '1000'), {
      addr: '15550001111',
      ton: 1,
      npi: 1,
    })
  })

  it('gives a short code TON 0 and an alphanumeric sender TON 5', () => {
    assert.deepEqual(sourceAddress(numeric, '8080'), { addr: '8080', ton: 0, npi: 1 })
    assert.deepEqual(
      sourceAddress({ ...numeric, numberType: 'alphanumeric', fromNumber: 'ACME Bank' }, '1'),
      {
        addr: 'ACME Bank',
        ton: 5,
        npi: 0,
      },
    )
  })

  it('lets SMPP-SOURCE-TON / NPI override', () => {
    assert.deepEqual(sourceAddress({ ...numeric, sourceTon: 3, sourceNpi: 0 }, '8080'), {
      addr: '8080',
      ton: 3,
      npi: 0,
    })
  })

  it('refuses senders and customers that cannot be addressed', () => {
    assert.throws(
      () =>
        sourceAddress(
          { ...numeric, numberType: 'alphanumeric', fromNumber: 'A very long name' },
          '1',
        ),
      /1 to 11 characters/,
    )
    assert.throws(() => sourceAddress(numeric, 'support'), /SMPP-NUMBER-TYPE to 1/)
    assert.throws(
      () => destinationAddress({ destTon: 1, destNpi: 1 }, 'web-user-17'),
      /not a phone number/,
    )
  })

  it('writes customer numbers as digits', () => {
    assert.equal(msisdnDigits('+44 (20) 7946-0958'), '442079460958')
    assert.deepEqual(destinationAddress({ destTon: 1, destNpi: 1 }, '+4915550100'), {
      addr: '4915550100',
      ton: 1,
      npi: 1,
    })
  })
})
