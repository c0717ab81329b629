import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { KeyValueStore } from '@plugboard/sdk'
import { encodeUcs2 } from '../encoding/alphabet.js'
import { encodeGsm7 } from '../encoding/gsm7.js'
import { createReassembler } from './reassembly.js'

function memoryStore(): KeyValueStore & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>()
  return {
    data,
    get: async <T>(key: string) => data.get(key) as T | undefined,
    set: async (key, value) => void data.set(key, value),
    delete: async (key) => void data.delete(key),
  }
}

describe('reassembler', () => {
  it('joins parts arriving out of order and forgets them afterwards', async () => {
    const store = memoryStore()
    const r = createReassembler(store, 60_000)
    const gsm = (s: string) => ({ dataCoding: 0, body: encodeGsm7(s) })
    assert.equal(await r.add('+1', '1000', { ref: 5, total: 3, seq: 3 }, gsm('!')), undefined)
    assert.equal(await r.add('+1', '1000', { ref: 5, total: 3, seq: 1 }, gsm('Hello ')), undefined)
    const whole = await r.add('+1', '1000', { ref: 5, total: 3, seq: 2 }, gsm('world'))
    assert.ok(whole)
    assert.equal(whole.text, 'Hello world!')
    assert.equal(whole.parts, 3)
    await whole.forget()
    assert.equal(store.data.size, 0)
  })

  it('keeps messages of different senders and references apart', async () => {
    const r = createReassembler(memoryStore(), 60_000)
    const part = (s: string) => ({ dataCoding: 0, body: encodeGsm7(s) })
    await r.add('+1', '1000', { ref: 1, total: 2, seq: 1 }, part('a'))
    await r.add('+2', '1000', { ref: 1, total: 2, seq: 1 }, part('x'))
    assert.equal((await r.add('+2', '1000', { ref: 1, total: 2, seq: 2 }, part('y')))?.text, 'xy')
    assert.equal((await r.add('+1', '1000', { ref: 1, total: 2, seq: 2 }, part('b')))?.text, 'ab')
  })

  it('decodes the joined bytes, so a character split between parts survives', async () => {
    const r = createReassembler(memoryStore(), 60_000)
    const bytes = encodeUcs2('a😀b')
    await r.add(
      '+1',
      '1000',
      { ref: 2, total: 2, seq: 1 },
      { dataCoding: 8, body: bytes.subarray(0, 4) },
    )
    const whole = await r.add(
      '+1',
      '1000',
      { ref: 2, total: 2, seq: 2 },
      { dataCoding: 8, body: bytes.subarray(4) },
    )
    assert.equal(whole?.text, 'a😀b')
  })

  it('gives whoever completes the message the same id, and a later message a new one', async () => {
    const store = memoryStore()
    const replicaA = createReassembler(store, 60_000)
    const replicaB = createReassembler(store, 60_000)
    const part = (s: string) => ({ dataCoding: 0, body: encodeGsm7(s) })
    await replicaA.add('+1', '1000', { ref: 3, total: 2, seq: 1 }, part('a'))
    const a = await replicaA.add('+1', '1000', { ref: 3, total: 2, seq: 2 }, part('b'))
    // The SMSC repeats part 2 on replica B before A forgot the parts.
    const b = await replicaB.add('+1', '1000', { ref: 3, total: 2, seq: 2 }, part('b'))
    assert.ok(a && b)
    assert.equal(a.providerMessageId, b.providerMessageId)
    await a.forget()
    await replicaA.add('+1', '1000', { ref: 3, total: 2, seq: 1 }, part('a'))
    const again = await replicaA.add('+1', '1000', { ref: 3, total: 2, seq: 2 }, part('b'))
    assert.notEqual(again?.providerMessageId, a.providerMessageId)
  })
})
