import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, describe, it } from 'node:test'
import smpp, { type PDU, type Session } from 'smpp'
import { type SmscSimulator, type SmscSimulatorOptions, startSmscSimulator } from './server.js'

const FIXTURES = new URL('../../../../test/fixtures/', import.meta.url)
const open: { smsc: SmscSimulator; sessions: Session[] }[] = []
after(async () => {
  for (const { smsc, sessions } of open) {
    for (const s of sessions) s.destroy()
    await smsc.close()
  }
})

async function setUp(options: SmscSimulatorOptions = {}) {
  const smsc = await startSmscSimulator(options)
  const entry = { smsc, sessions: [] as Session[] }
  open.push(entry)
  const connect = (onDeliver?: (pdu: PDU, session: Session) => void) =>
    new Promise<Session>((resolve, reject) => {
      const session = smpp.connect(
        {
          url: `${options.tls ? 'ssmpp' : 'smpp'}://127.0.0.1:${smsc.port}`,
          ...(options.tls ? { rejectUnauthorized: false } : {}),
        },
        () => resolve(session),
      )
      session.on('error', reject)
      session.on('deliver_sm', (pdu: PDU) =>
        onDeliver ? onDeliver(pdu, session) : session.send(pdu.response()),
      )
      entry.sessions.push(session)
    })
  const call = (
    session: Session,
    command: 'bind_transceiver' | 'submit_sm',
    fields: Record<string, unknown>,
  ) => new Promise<PDU>((resolve) => session[command](fields, resolve))
  return { smsc, connect, call }
}

const bind = { system_id: 'plugboard', password: 'secret' }

describe('SMSC simulator', () => {
  it('checks credentials, and records every bind', async () => {
    const { smsc, connect, call } = await setUp()
    const bad = await call(await connect(), 'bind_transceiver', { ...bind, password: 'nope' })
    assert.equal(bad.command_status, smpp.errors.ESME_RINVPASWD)
    const unknown = await call(await connect(), 'bind_transceiver', { ...bind, system_id: 'who' })
    assert.equal(unknown.command_status, smpp.errors.ESME_RINVSYSID)
    smsc.setPassword('plugboard', 'rotated')
    const ok = await call(await connect(), 'bind_transceiver', { ...bind, password: 'rotated' })
    assert.equal(ok.command_status, 0)
    assert.deepEqual(
      smsc.binds.map((b) => b.status),
      [0x0e, 0x0f, 0],
    )
    assert.equal(smsc.bound, 1)
  })

  it('accepts submits with message ids and sends receipts for them', async () => {
    const { smsc, connect, call } = await setUp({ receipts: { state: 'UNDELIV' } })
    const receipts: PDU[] = []
    const session = await connect((pdu, s) => {
      receipts.push(pdu)
      s.send(pdu.response())
    })
    await call(session, 'bind_transceiver', bind)
    const resp = await call(session, 'submit_sm', {
      destination_addr: '4915550100',
      short_message: 'hello',
      data_coding: 0,
      registered_delivery: 1,
    })
    assert.equal(resp.message_id, '0001E240')
    const [submit] = await smsc.waitFor((s) => s.text === 'hello')
    assert.equal(submit?.destination, '4915550100')
    await smsc.waitForDelivery((d) => d.kind === 'receipt' && d.status === 0)
    assert.equal(receipts[0]?.receipted_message_id, '0001E240')
    assert.equal(receipts[0]?.message_state, 5)
    assert.match(
      String((receipts[0]!.short_message as { message: string }).message),
      /^id:0001E240 .*stat:UNDELIV err:001/,
    )
  })

  it('throttles above its TPS and fails on demand', async () => {
    const { smsc, connect, call } = await setUp({ maxTps: 2 })
    const session = await connect()
    await call(session, 'bind_transceiver', bind)
    const send = () =>
      call(session, 'submit_sm', { destination_addr: '1', short_message: 'x', data_coding: 0 })
    const statuses = []
    for (let i = 0; i < 3; i++) statuses.push((await send()).command_status)
    assert.deepEqual(statuses, [0, 0, smpp.errors.ESME_RTHROTTLED])
    smsc.setMaxTps(undefined)
    smsc.failNext(1, 0x14)
    assert.equal((await send()).command_status, 0x14)
    assert.equal((await send()).command_status, 0)
    assert.deepEqual(
      smsc.rejected.map((r) => r.reason),
      ['throttled', 'failNext'],
    )
  })

  it('holds each answer for the response delay', async () => {
    const { smsc, connect, call } = await setUp({ receipts: false })
    const session = await connect()
    await call(session, 'bind_transceiver', bind)
    smsc.setResponseDelay(60_000)
    let answered = false
    session.submit_sm({ destination_addr: '1', short_message: 'slow', data_coding: 0 }, () => {
      answered = true
    })
    await smsc.waitFor((s) => s.text === 'slow')
    await new Promise((r) => setTimeout(r, 50))
    assert.equal(answered, false)
  })

  it('holds answers, then drops the links: held submits discarded or accepted', async () => {
    const { smsc, connect, call } = await setUp({ receipts: false })
    const session = await connect()
    await call(session, 'bind_transceiver', bind)
    smsc.holdResponses()
    for (const text of ['a', 'b'])
      session.submit_sm({ destination_addr: '1', short_message: text, data_coding: 0 })
    while (smsc.held < 2) await new Promise((r) => setTimeout(r, 5))
    const closed = new Promise((r) => session.on('close', r))
    assert.equal(smsc.dropLinks({ held: 'accept' }), 1)
    await closed
    assert.deepEqual(
      smsc.submits.map((s) => s.text),
      ['a', 'b'],
    )
    assert.equal(smsc.held, 0)
  })

  it('injects a multipart customer message and redelivers a refused part', async () => {
    const { smsc, connect, call } = await setUp()
    const parts: PDU[] = []
    let refused = false
    const session = await connect((pdu, s) => {
      if (!refused) {
        refused = true
        s.send(pdu.response({ command_status: 0x64 }))
        return
      }
      parts.push(pdu)
      s.send(pdu.response())
    })
    await call(session, 'bind_transceiver', bind)
    await smsc.injectMo({
      from: '4915550100',
      to: '1000',
      text: 'Hello world, in parts',
      parts: 3,
      ref: 9,
    })
    assert.equal(parts.length, 3)
    const decoded = parts.map((p) => p.short_message as { udh: Buffer[]; message: string })
    const joined = decoded
      .sort((a, b) => (a.udh[0]?.[4] ?? 0) - (b.udh[0]?.[4] ?? 0))
      .map((d) => d.message)
      .join('')
    assert.equal(joined, 'Hello world, in parts')
    assert.deepEqual(
      smsc.deliveries.map((d) => d.status),
      [0x64, 0, 0, 0],
    )
  })

  it('reassembles MT messages and finds duplicates', async () => {
    const { smsc, connect, call } = await setUp({ receipts: false })
    const session = await connect()
    await call(session, 'bind_transceiver', bind)
    const part = (seq: number, text: string) =>
      call(session, 'submit_sm', {
        destination_addr: '1',
        data_coding: 8,
        short_message: { udh: Buffer.from([5, 0, 3, 7, 2, seq]), message: text },
      })
    await part(1, 'Привет, ')
    await part(2, 'мир')
    await part(2, 'мир')
    assert.deepEqual(
      smsc.messages().map((m) => m.text),
      ['Привет, мир'],
    )
    assert.equal(smsc.duplicates()[0]?.count, 2)
  })

  it('serves SMPP over TLS', async () => {
    const { smsc, connect, call } = await setUp({
      tls: {
        key: readFileSync(new URL('localhost.key', FIXTURES)),
        cert: readFileSync(new URL('localhost.crt', FIXTURES)),
      },
    })
    assert.equal(smsc.tls, true)
    const ok = await call(await connect(), 'bind_transceiver', bind)
    assert.equal(ok.command_status, 0)
  })
})
