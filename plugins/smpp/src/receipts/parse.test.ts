import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { encodeUcs2 } from '../encoding/alphabet.js'
import { TLV } from '../pdu/commands.js'
import { tlv } from '../pdu/tlv.js'
import { type ShortMessageFields, shortMessageDefaults, type Tlv } from '../pdu/types.js'
import { isReceipt, parseReceipt } from './parse.js'

const TEXT =
  'id:0000012345 sub:001 dlvrd:001 submit date:2511211200 done date:2511211201 stat:DELIVRD err:000 text:Hello'

function dlr(text: string | Buffer, tlvs: Tlv[] = [], extra: Partial<ShortMessageFields> = {}) {
  return {
    ...shortMessageDefaults(),
    esmClass: 0x04,
    shortMessage: typeof text === 'string' ? Buffer.from(text, 'latin1') : text,
    tlvs,
    ...extra,
  }
}

describe('parseReceipt', () => {
  it('reads the Appendix B text', () => {
    assert.deepEqual(parseReceipt(dlr(TEXT)), {
      messageId: '0000012345',
      state: 'DELIVRD',
      source: 'text',
    })
  })

  it('prefers the receipted_message_id and message_state TLVs over the text', () => {
    const receipt = parseReceipt(
      dlr(TEXT, [tlv.cstring(TLV.receipted_message_id, '3039'), tlv.uint8(TLV.message_state, 5)]),
    )
    assert.deepEqual(receipt, { messageId: '3039', state: 'UNDELIV', source: 'tlv' })
  })

  it('fills in from the text what the TLVs leave out', () => {
    const receipt = parseReceipt(dlr(TEXT, [tlv.cstring(TLV.receipted_message_id, 'abc')]))
    assert.deepEqual(receipt, { messageId: 'abc', state: 'DELIVRD', source: 'mixed' })
  })

  it('decodes a receipt sent as UCS2', () => {
    const receipt = parseReceipt(
      dlr(encodeUcs2(TEXT.replace('DELIVRD', 'UNDELIV').replace('err:000', 'err:034')), [], {
        dataCoding: 8,
      }),
    )
    assert.deepEqual(receipt, {
      messageId: '0000012345',
      state: 'UNDELIV',
      error: '034',
      source: 'text',
    })
  })

  const variants: Array<[string, string, string | undefined]> = [
    ['lower case keys and long state names', 'Id:77 Stat:delivered err:0', 'DELIVRD'],
    ['REJECTD', 'id:77 sub:001 dlvrd:000 stat:REJECTD err:0b', 'REJECTD'],
    ['EXPIRED', 'id:77 stat:EXPIRED', 'EXPIRED'],
    ['no state', 'id:77 sub:001', undefined],
    ['no id', 'sub:001 stat:DELIVRD', undefined],
    ['an unknown state', 'id:77 stat:WHATEVER', undefined],
  ]
  for (const [name, text, state] of variants) {
    it(`handles ${name}`, () => assert.equal(parseReceipt(dlr(text))?.state, state))
  }

  it('reports the network_error_code TLV as type:code', () => {
    const receipt = parseReceipt(
      dlr('', [
        tlv.cstring(TLV.receipted_message_id, 'x1'),
        tlv.uint8(TLV.message_state, 8),
        tlv.bytes(TLV.network_error_code, Buffer.from([3, 0, 0x22])),
      ]),
    )
    assert.equal(receipt?.error, '3:34')
    assert.equal(receipt?.state, 'REJECTD')
  })

  it('reads the text from message_payload when short_message is empty', () => {
    assert.equal(
      parseReceipt(dlr('', [tlv.bytes(TLV.message_payload, Buffer.from(TEXT))]))?.messageId,
      '0000012345',
    )
  })
})

describe('isReceipt', () => {
  it('goes by esm_class, or by the receipt TLVs when esm_class is 0', () => {
    assert.equal(isReceipt({ esmClass: 0x04, tlvs: [] }), true)
    assert.equal(isReceipt({ esmClass: 0x20, tlvs: [] }), true)
    assert.equal(isReceipt({ esmClass: 0x00, tlvs: [] }), false)
    assert.equal(isReceipt({ esmClass: 0x40, tlvs: [] }), false)
    assert.equal(
      isReceipt({
        esmClass: 0,
        tlvs: [tlv.cstring(TLV.receipted_message_id, 'a'), tlv.uint8(TLV.message_state, 2)],
      }),
      true,
    )
  })
})
