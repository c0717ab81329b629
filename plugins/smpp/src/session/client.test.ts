import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { recordingLogger, tick, until } from '../../test/helpers.js'
import { createManualClock, type ManualClock } from '../../test/manual-clock.js'
import {
  type Conn,
  healthy,
  type Script,
  type ScriptedSmsc,
  startScriptedSmsc,
} from '../../test/scripted-smsc.js'
import { isSmppError } from '../errors.js'
import { type ShortMessageFields, shortMessageDefaults } from '../pdu/types.js'
import { createSmppClient, type SmppClient, type SmppClientOptions } from './client.js'

const open: { smsc: ScriptedSmsc; client: SmppClient }[] = []
after(async () => {
  for (const { client, smsc } of open) {
    await client.close()
    await smsc.close()
  }
})

async function setUp(script: Script = healthy, options: Partial<SmppClientOptions> = {}) {
  const smsc = await startScriptedSmsc(script)
  const clock = createManualClock()
  const log = recordingLogger()
  const client = createSmppClient({
    endpoint: { host: smsc.host, port: smsc.port },
    credentials: { systemId: 'acct', password: 'pw-secret' },
    binds: [{ type: 'transceiver', count: 1 }],
    window: 5,
    responseTimeoutMs: 1000,
    enquireLinkMs: 60_000,
    reconnect: { minMs: 100, maxMs: 1000 },
    throttlePause: { minMs: 500, maxMs: 5000 },
    submitTimeoutMs: 30_000,
    clock,
    random: () => 1,
    log,
    ...options,
  })
  open.push({ smsc, client })
  client.start()
  return { smsc, clock, log, client }
}

let n = 0
const sms = (text = `message ${++n}`): ShortMessageFields => ({
  ...shortMessageDefaults(),
  destinationAddr: '4915550100',
  shortMessage: Buffer.from(text),
})

const textOf = (pdu: { shortMessage?: Buffer }) => pdu.shortMessage?.toString() ?? ''

/** Advances the manual clock in steps until `check` holds, letting I/O run in between. */
async function advanceUntil(
  clock: ManualClock,
  stepMs: number,
  check: () => boolean,
  what: string,
) {
  await until(() => {
    if (check()) return true
    clock.advance(stepMs)
    return check()
  }, what)
}

/** An SMSC that keeps submit_sm unanswered until told, per connection. */
function holding() {
  const held: { conn: Conn; sequence: number; text: string }[] = []
  const script: Script = (pdu, conn) => {
    if (pdu.command !== 'submit_sm') return healthy(pdu, conn)
    held.push({ conn, sequence: pdu.sequence, text: textOf(pdu) })
    return undefined
  }
  return { held, script }
}

describe('SMPP client', () => {
  it('submits through a bound link and resolves with the message id', async () => {
    const { client } = await setUp()
    const result = await client.submit(sms())
    assert.match(result.messageId, /^m\d+$/)
    assert.deepEqual(
      { attempts: result.attempts, ambiguous: result.ambiguous },
      { attempts: 1, ambiguous: false },
    )
    assert.deepEqual(client.health(), { state: 'up' })
  })

  it('keeps each bind within its window and spreads submits over the binds', async () => {
    const { held, script } = holding()
    const { smsc, client } = await setUp(script, {
      window: 3,
      binds: [{ type: 'transceiver', count: 2 }],
    })
    const results = Array.from({ length: 10 }, () => client.submit(sms()))
    await until(() => held.length === 6, 'two full windows')
    await tick()
    assert.equal(held.length, 6)
    assert.deepEqual(
      smsc.conns.map((c) => held.filter((h) => h.conn === c).length),
      [3, 3],
    )
    assert.equal(client.stats().queued, 4)
    // Answering frees window slots; the queue drains until everything is answered.
    smsc.setScript(healthy)
    for (const h of held.splice(0))
      h.conn.send({
        command: 'submit_sm_resp',
        sequence: h.sequence,
        status: 0,
        messageId: `x${h.sequence}`,
      })
    await until(() => held.length === 4 || client.stats().queued === 0, 'the rest to go out')
    await Promise.all(results)
  })

  it('paces submits to the TPS', async () => {
    const { smsc, clock, client } = await setUp(healthy, { tps: 10 })
    await client.whenBound()
    const results = Array.from({ length: 3 }, () => client.submit(sms()))
    await smsc.waitFor('submit_sm', 1)
    await tick()
    assert.equal(smsc.count('submit_sm'), 1)
    clock.advance(100)
    await smsc.waitFor('submit_sm', 2)
    clock.advance(100)
    await smsc.waitFor('submit_sm', 3)
    await Promise.all(results)
  })

  it('pauses on ESME_RTHROTTLED, then sends what was refused again, in order', async () => {
    let refuse = 2
    const { smsc, clock, client, log } = await setUp((pdu, conn) => {
      if (pdu.command === 'submit_sm' && refuse > 0) {
        refuse--
        return { command: 'submit_sm_resp', sequence: pdu.sequence, status: 0x58, messageId: '' }
      }
      return healthy(pdu, conn)
    })
    await client.whenBound()
    const a = client.submit(sms('a'))
    const b = client.submit(sms('b'))
    await smsc.waitFor('submit_sm', 2)
    await until(() => client.stats().throttled === 2, 'both refusals')
    assert.ok(client.stats().pausedForMs > 0)
    assert.match(String(client.health().detail), /throttling/)
    await tick()
    assert.equal(smsc.count('submit_sm'), 2, 'nothing is sent during the pause')
    clock.advance(500)
    await smsc.waitFor('submit_sm', 4)
    const [ra, rb] = await Promise.all([a, b])
    assert.equal(ra.attempts, 2)
    assert.equal(rb.attempts, 2)
    const texts = smsc.received
      .filter((p) => p.command === 'submit_sm')
      .map((p) => textOf(p as never))
    assert.deepEqual(texts, ['a', 'b', 'a', 'b'])
    assert.ok(
      log.lines.some(
        (l) => l.level === 'warn' && l.msg === 'the SMSC is throttling; pausing submits',
      ),
    )
  })

  it('fails a submit the SMSC refuses for good, without retrying it', async () => {
    const { smsc, client } = await setUp((pdu, conn) =>
      pdu.command === 'submit_sm'
        ? { command: 'submit_sm_resp', sequence: pdu.sequence, status: 0x0b, messageId: '' }
        : healthy(pdu, conn),
    )
    await assert.rejects(
      client.submit(sms()),
      (e) =>
        isSmppError(e) &&
        e.code === 'SMPP_REJECTED' &&
        e.status === 0x0b &&
        /ESME_RINVDSTADR/.test(e.message),
    )
    assert.equal(smsc.count('submit_sm'), 1)
  })

  it('re-binds after a dropped link and sends again what was left unanswered', async () => {
    const { held, script } = holding()
    const { smsc, clock, client } = await setUp(script, { window: 2 })
    const results = ['w1', 'w2', 'q1'].map((t) => client.submit(sms(t)))
    await until(() => held.length === 2, 'a full window')
    // The link drops with the window full: w1, w2 are in flight, q1 is still queued.
    smsc.setScript(healthy)
    smsc.conns[0]?.socket.destroy()
    await until(() => client.health().state === 'down', 'the link to be seen lost')
    assert.match(String(client.health().detail), /link lost/)
    await advanceUntil(clock, 100, () => client.stats().bound === 1, 'the re-bind')
    const [w1, w2, q1] = await Promise.all(results)
    assert.deepEqual([w1?.ambiguous, w2?.ambiguous, q1?.ambiguous], [true, true, false])
    assert.equal(client.stats().resubmitted, 2)
    const second = smsc.conns[1]!.received.filter((p) => p.command === 'submit_sm').map((p) =>
      textOf(p as never),
    )
    assert.deepEqual(second, ['w1', 'w2', 'q1'])
  })

  it('can leave an unanswered submit to the caller instead of sending it again', async () => {
    const { held, script } = holding()
    const { smsc, client } = await setUp(script, { resubmitAmbiguous: false })
    const result = client.submit(sms())
    await until(() => held.length === 1, 'the submit')
    smsc.conns[0]?.socket.destroy()
    await assert.rejects(
      result,
      (e) => isSmppError(e) && e.code === 'SMPP_LINK_LOST' && e.ambiguous,
    )
  })

  it('reports refused credentials, fails sends fast, and binds once they are accepted', async () => {
    let accept = false
    const { smsc, clock, client, log } = await setUp((pdu, conn) => {
      if (pdu.command === 'bind_transceiver' && !accept) {
        return {
          command: 'bind_transceiver_resp',
          sequence: pdu.sequence,
          status: 0x0e,
          systemId: '',
          tlvs: [],
        }
      }
      return healthy(pdu, conn)
    })
    const queued = assert.rejects(
      client.submit(sms()),
      (e) => isSmppError(e) && e.code === 'SMPP_BIND_REFUSED' && e.status === 0x0e,
    )
    await smsc.waitFor('bind_transceiver')
    await queued
    const health = client.health()
    assert.equal(health.state, 'down')
    assert.match(
      String(health.detail),
      /0\/1 SMPP binds up; bind_transceiver refused with ESME_RINVPASWD/,
    )
    await assert.rejects(
      client.submit(sms()),
      (e) => isSmppError(e) && e.code === 'SMPP_BIND_REFUSED',
    )
    // It keeps trying with backoff; the SMSC starts accepting (the password was fixed there).
    await advanceUntil(
      clock,
      100,
      () => smsc.count('bind_transceiver') >= 2,
      'a second bind attempt',
    )
    accept = true
    await advanceUntil(clock, 100, () => client.health().state === 'up', 'the bind')
    assert.match((await client.submit(sms())).messageId, /^m/)
    assert.doesNotMatch(JSON.stringify(log.lines), /pw-secret/)
  })

  it('fails a submit that could not go out within its deadline', async () => {
    const { clock, client, smsc } = await setUp((pdu, conn) =>
      pdu.command === 'bind_transceiver' ? undefined : healthy(pdu, conn),
    )
    const result = client.submit(sms(), { timeoutMs: 2000 })
    await smsc.waitFor('bind_transceiver')
    clock.advance(2500)
    await assert.rejects(
      result,
      (e) => isSmppError(e) && e.code === 'SMPP_QUEUE_TIMEOUT' && !e.ambiguous,
    )
  })

  it('refuses to send on receiver-only binds, saying which setting to change', async () => {
    const { client } = await setUp(healthy, { binds: [{ type: 'receiver', count: 1 }] })
    await assert.rejects(client.submit(sms()), /SMPP-BIND-TYPE/)
  })

  it('closes: rejects what is queued, unbinds every link', async () => {
    const { held, script } = holding()
    const { smsc, client } = await setUp(script, { window: 1 })
    const inFlight = client.submit(sms())
    const queued = client.submit(sms())
    await until(() => held.length === 1, 'the first submit')
    const closing = client.close()
    await assert.rejects(queued, (e) => isSmppError(e) && e.code === 'SMPP_CLOSED')
    const h = held[0]!
    h.conn.send({ command: 'submit_sm_resp', sequence: h.sequence, status: 0, messageId: 'last' })
    assert.equal((await inFlight).messageId, 'last')
    await closing
    assert.equal(smsc.count('unbind'), 1)
    await assert.rejects(client.submit(sms()), (e) => isSmppError(e) && e.code === 'SMPP_CLOSED')
  })

  it('closes at once while a bind is still unanswered', async () => {
    const { smsc, client } = await setUp((pdu, conn) =>
      pdu.command === 'bind_transceiver' ? undefined : healthy(pdu, conn),
    )
    await smsc.waitFor('bind_transceiver')
    // The manual clock never fires the bind timeout: only the abort can end this.
    await client.close()
    assert.equal(client.health().state, 'down')
  })
})
