import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import smpp from 'smpp'
import { isSmppError } from '../errors.js'
import { decodePdu, encodePdu } from './codec.js'
import { TLV } from './commands.js'
import { tlv, tlvInt, tlvString } from './tlv.js'
import { type Pdu, type SubmitSmPdu, shortMessageDefaults } from './types.js'

const submit: SubmitSmPdu = {
  command: 'submit_sm',
  sequence: 7,
  status: 0,
  ...shortMessageDefaults(),
  sourceAddrTon: 5,
  sourceAddr: 'Plugboard',
  destAddrTon: 1,
  destAddrNpi: 1,
  destinationAddr: '4915550100',
  esmClass: 0x40,
  registeredDelivery: 1,
  dataCoding: 8,
  shortMessage: Buffer.from([0x05, 0x00, 0x03, 0x2a, 0x02, 0x01, 0x00, 0x48]),
  tlvs: [tlv.uint16(TLV.user_message_reference, 513)],
}

describe('encodePdu / decodePdu', () => {
  const cases: Pdu[] = [
    {
      command: 'bind_transceiver',
      sequence: 1,
      status: 0,
      systemId: 'acct',
      password: 'pw',
      systemType: 'CMT',
      interfaceVersion: 0x34,
      addrTon: 1,
      addrNpi: 1,
      addressRange: '',
    },
    { command: 'bind_receiver_resp', sequence: 2, status: 0, systemId: 'SMSC', tlvs: [] },
    submit,
    { ...submit, command: 'deliver_sm', sequence: 8 } as Pdu,
    { command: 'submit_sm_resp', sequence: 7, status: 0, messageId: '0001E240' },
    { command: 'deliver_sm_resp', sequence: 9, status: 0x64, messageId: '' },
    { command: 'enquire_link', sequence: 3, status: 0 },
    { command: 'unbind_resp', sequence: 4, status: 0 },
    { command: 'generic_nack', sequence: 5, status: 3 },
  ]
  for (const pdu of cases) {
    it(`round-trips ${pdu.command}`, () => {
      const bytes = encodePdu(pdu)
      assert.equal(bytes.readUInt32BE(0), bytes.length)
      assert.deepEqual(decodePdu(bytes), pdu)
    })
  }

  it('keeps an unknown command raw so it can be answered', () => {
    const bytes = Buffer.alloc(20)
    bytes.writeUInt32BE(20, 0)
    bytes.writeUInt32BE(0x00000103, 4)
    bytes.writeUInt32BE(11, 12)
    const pdu = decodePdu(bytes)
    assert.equal(pdu.command, 'unknown')
    assert.equal(pdu.sequence, 11)
  })

  it('reads an error answer without a body', () => {
    const bytes = Buffer.alloc(16)
    bytes.writeUInt32BE(16, 0)
    bytes.writeUInt32BE(0x80000009, 4)
    bytes.writeUInt32BE(0x0e, 8)
    bytes.writeUInt32BE(1, 12)
    assert.deepEqual(decodePdu(bytes), {
      command: 'bind_transceiver_resp',
      sequence: 1,
      status: 0x0e,
      systemId: '',
      tlvs: [],
    })
  })

  it('accepts a message_id without its NUL at the end of the PDU', () => {
    const ok = encodePdu({ command: 'submit_sm_resp', sequence: 1, status: 0, messageId: 'abc' })
    const trimmed = Buffer.from(ok.subarray(0, ok.length - 1))
    trimmed.writeUInt32BE(trimmed.length, 0)
    assert.equal((decodePdu(trimmed) as { messageId: string }).messageId, 'abc')
  })

  it('refuses an sm_length that runs past the PDU and a truncated TLV', () => {
    const bytes = Buffer.from(encodePdu(submit))
    const smLengthAt = bytes.length - submit.shortMessage.length - 6 - 1
    bytes[smLengthAt] = 200
    assert.throws(
      () => decodePdu(bytes),
      (e) => isSmppError(e) && e.code === 'SMPP_PDU_INVALID',
    )
    const tlvCut = Buffer.from(encodePdu(submit).subarray(0, encodePdu(submit).length - 1))
    tlvCut.writeUInt32BE(tlvCut.length, 0)
    assert.throws(() => decodePdu(tlvCut), /TLV 0x204 of 2 octets is truncated/)
  })

  it('refuses fields SMPP cannot carry, naming them', () => {
    assert.throws(
      () => encodePdu({ ...submit, destinationAddr: '1'.repeat(21) }),
      /destination_addr '1{21}' is 21 characters; SMPP 3.4 allows 20/,
    )
    assert.throws(
      () => encodePdu({ ...submit, shortMessage: Buffer.alloc(255) }),
      (e) => isSmppError(e) && e.code === 'SMPP_FIELD_TOO_LONG',
    )
  })
})

describe('TLV helpers', () => {
  it('reads integers of 1, 2 and 4 octets and C strings with or without NUL', () => {
    const tlvs = [
      tlv.uint8(1, 7),
      tlv.uint16(2, 0x1234),
      { tag: 3, value: Buffer.from([0, 0, 1, 0]) },
      tlv.cstring(4, 'id-1'),
      { tag: 5, value: Buffer.from('no-nul') },
    ]
    assert.deepEqual(
      [1, 2, 3].map((t) => tlvInt(tlvs, t)),
      [7, 0x1234, 256],
    )
    assert.equal(tlvString(tlvs, 4), 'id-1')
    assert.equal(tlvString(tlvs, 5), 'no-nul')
    assert.equal(tlvInt(tlvs, 9), undefined)
  })
})

// The `smpp` package is an independent implementation: each side must read what the other writes.
describe('interoperability with the smpp package', () => {
  it('the smpp package reads our submit_sm', () => {
    const theirs = smpp.PDU.fromBuffer(encodePdu(submit))
    assert.ok(theirs)
    assert.equal(theirs.command, 'submit_sm')
    assert.equal(theirs.sequence_number, 7)
    assert.equal(theirs.source_addr, 'Plugboard')
    assert.equal(theirs.destination_addr, '4915550100')
    assert.equal(theirs.data_coding, 8)
    assert.equal(theirs.registered_delivery, 1)
    assert.equal(theirs.user_message_reference, 513)
    const short = theirs.short_message as { udh: Buffer[]; message: string }
    assert.deepEqual([...(short.udh[0] as Buffer)], [0x00, 0x03, 0x2a, 0x02, 0x01])
    assert.equal(short.message, 'H')
  })

  it('we read the smpp package deliver_sm with receipt TLVs', () => {
    const theirs = new smpp.PDU('deliver_sm', {
      sequence_number: 12,
      source_addr: '4915550100',
      destination_addr: '1000',
      esm_class: 4,
      data_coding: 0,
      short_message: 'id:0001E240 stat:DELIVRD',
      receipted_message_id: '0001E240',
      message_state: 2,
    })
    const ours = decodePdu(theirs.toBuffer())
    assert.equal(ours.command, 'deliver_sm')
    if (ours.command !== 'deliver_sm') return
    assert.equal(ours.sequence, 12)
    assert.equal(ours.sourceAddr, '4915550100')
    assert.equal(ours.esmClass, 4)
    assert.equal(ours.shortMessage.toString('latin1'), 'id:0001E240 stat:DELIVRD')
    assert.equal(tlvString(ours.tlvs, TLV.receipted_message_id), '0001E240')
    assert.equal(tlvInt(ours.tlvs, TLV.message_state), 2)
  })

  it('we read the smpp package bind answers, success and refusal', () => {
    const ok = decodePdu(
      new smpp.PDU('bind_transceiver_resp', { sequence_number: 1, system_id: 'SMSC' }).toBuffer(),
    )
    assert.deepEqual(ok, {
      command: 'bind_transceiver_resp',
      sequence: 1,
      status: 0,
      systemId: 'SMSC',
      tlvs: [],
    })
    const refused = decodePdu(
      new smpp.PDU('bind_transceiver_resp', {
        sequence_number: 2,
        command_status: 0x0e,
      }).toBuffer(),
    )
    assert.equal(refused.status, 0x0e)
  })
})
