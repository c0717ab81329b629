import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { TLV } from '../pdu/commands.js'
import { tlv } from '../pdu/tlv.js'
import { type ShortMessageFields, shortMessageDefaults } from '../pdu/types.js'
import { userData } from './user-data.js'

const sm = (fields: Partial<ShortMessageFields>): ShortMessageFields => ({
  ...shortMessageDefaults(),
  ...fields,
})

describe('userData', () => {
  it('takes a plain short message as it is', () => {
    const ud = userData(sm({ shortMessage: Buffer.from('hi') }))
    assert.equal(ud.body.toString(), 'hi')
    assert.equal(ud.concat, undefined)
  })

  it('strips an 8-bit or 16-bit concatenation UDH', () => {
    const eight = userData(
      sm({ esmClass: 0x40, shortMessage: Buffer.from([5, 0, 3, 9, 2, 1, 0x41]) }),
    )
    assert.deepEqual(eight.concat, { ref: 9, total: 2, seq: 1 })
    assert.equal(eight.body.toString(), 'A')
    const sixteen = userData(
      sm({ esmClass: 0x43, shortMessage: Buffer.from([6, 8, 4, 1, 2, 3, 3, 0x42]) }),
    )
    assert.deepEqual(sixteen.concat, { ref: 0x0102, total: 3, seq: 3 })
    assert.equal(sixteen.body.toString(), 'B')
  })

  it('reads sar_* TLVs', () => {
    const ud = userData(
      sm({
        shortMessage: Buffer.from('part'),
        tlvs: [
          tlv.uint16(TLV.sar_msg_ref_num, 300),
          tlv.uint8(TLV.sar_total_segments, 2),
          tlv.uint8(TLV.sar_segment_seqnum, 2),
        ],
      }),
    )
    assert.deepEqual(ud.concat, { ref: 300, total: 2, seq: 2 })
  })

  it('reads message_payload when short_message is empty', () => {
    const ud = userData(sm({ tlvs: [tlv.bytes(TLV.message_payload, Buffer.from('long text'))] }))
    assert.equal(ud.body.toString(), 'long text')
  })
})
