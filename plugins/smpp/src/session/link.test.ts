import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { recordingLogger, until } from '../../test/helpers.js'
import { createManualClock, type ManualClock } from '../../test/manual-clock.js'
import {
  healthy,
  type Script,
  type ScriptedSmsc,
  startScriptedSmsc,
} from '../../test/scripted-smsc.js'
import { isSmppError, smppError } from '../errors.js'
import { encodePdu } from '../pdu/codec.js'
import { type Pdu, type SubmitSmPdu, shortMessageDefaults } from '../pdu/types.js'
import { systemClock } from './clock.js'
import { bindLink, type LinkOptions } from './link.js'
import { openSocket } from './transport.js'

const smscs: ScriptedSmsc[] = []
after(() => Promise.all(smscs.map((s) => s.close())))

async function setUp(script: Script = healthy, options: Partial<LinkOptions> = {}) {
  const smsc = await startScriptedSmsc(script)
  smscs.push(smsc)
  const clock = createManualClock()
  const log = recordingLogger()
  const socket = await openSocket(
    { host: smsc.host, port: smsc.port },
    { timeoutMs: 5000, clock: systemClock },
  )
  const link = bindLink({
    socket,
    type: 'transceiver',
    credentials: { systemId: 'acct', password: 'pw-secret' },
    window: 2,
    responseTimeoutMs: 1000,
    enquireLinkMs: 5000,
    clock,
    log,
    name: 'trx#1',
    ...options,
  })
  return { smsc, clock, log, link }
}

const submit = (): Buffer =>
  encodePdu({
    command: 'submit_sm',
    sequence: 0,
    status: 0,
    ...shortMessageDefaults(),
    destinationAddr: '4915550100',
    shortMessage: Buffer.from('hi'),
  } satisfies SubmitSmPdu)

const silentFor =
  (...commands: string[]): Script =>
  (pdu, conn) =>
    commands.includes(pdu.command) ? undefined : healthy(pdu, conn)

async function advanceUntil(clock: ManualClock, ms: number, check: () => boolean, what: string) {
  await until(() => {
    if (!check()) clock.advance(ms)
    return check()
  }, what)
}

describe('SMPP link', () => {
  it('binds as a transceiver with interface version 3.4', async () => {
    const { smsc, link } = await setUp()
    const bound = await link
    assert.equal(bound.state, 'bound')
    assert.equal(bound.canTransmit, true)
    const [bind] = smsc.received
    assert.deepEqual(bind, {
      command: 'bind_transceiver',
      sequence: 1,
      status: 0,
      systemId: 'acct',
      password: 'pw-secret',
      systemType: '',
      interfaceVersion: 0x34,
      addrTon: 0,
      addrNpi: 0,
      addressRange: '',
    })
    await bound.close()
  })

  it('reports a refused bind with the status and the setting to check, never the password', async () => {
    const refuse: Script = (pdu) =>
      pdu.command === 'bind_transceiver'
        ? {
            command: 'bind_transceiver_resp',
            sequence: pdu.sequence,
            status: 0x0e,
            systemId: '',
            tlvs: [],
          }
        : undefined
    const { link, log } = await setUp(refuse)
    await assert.rejects(link, (e) => {
      assert.ok(isSmppError(e))
      assert.equal(e.code, 'SMPP_BIND_REFUSED')
      assert.equal(e.status, 0x0e)
      assert.match(e.message, /ESME_RINVPASWD .*check SMPP-PASSWORD/)
      assert.doesNotMatch(e.message, /pw-secret/)
      return true
    })
    assert.doesNotMatch(JSON.stringify(log.lines), /pw-secret/)
  })

  it('times out an unanswered request as ambiguous, then finds the link dead', async () => {
    const { smsc, clock, link } = await setUp(silentFor('submit_sm', 'enquire_link'))
    const bound = await link
    const sent = bound.send(submit(), 'submit_sm')
    await smsc.waitFor('submit_sm')
    clock.advance(1000)
    await assert.rejects(
      sent,
      (e) => isSmppError(e) && e.code === 'SMPP_RESPONSE_TIMEOUT' && e.ambiguous,
    )
    // The missing answer triggers an enquire_link at once; it goes unanswered too.
    await smsc.waitFor('enquire_link')
    clock.advance(1000)
    const reason = await bound.closed
    assert.equal(reason.code, 'SMPP_LINK_DEAD')
  })

  it('sends enquire_link after a quiet period and stays up when it is answered', async () => {
    const { smsc, clock, link } = await setUp()
    const bound = await link
    clock.advance(4999)
    assert.equal(smsc.count('enquire_link'), 0)
    clock.advance(1)
    await smsc.waitFor('enquire_link')
    await until(() => bound.inFlight === 0, 'the enquire_link_resp')
    clock.advance(1000)
    assert.equal(bound.state, 'bound')
    await bound.close()
  })

  it('detects a peer that stops answering enquire_link', async () => {
    const { clock, link } = await setUp(silentFor('enquire_link'))
    const bound = await link
    await advanceUntil(clock, 1000, () => bound.state === 'closed', 'the link to be declared dead')
    assert.equal((await bound.closed).code, 'SMPP_LINK_DEAD')
  })

  it('keeps at most `window` requests in flight', async () => {
    const { smsc, link } = await setUp(silentFor('submit_sm'))
    const bound = await link
    assert.equal(bound.ready, true)
    void bound.send(submit(), 'submit_sm').catch(() => {})
    void bound.send(submit(), 'submit_sm').catch(() => {})
    assert.equal(bound.inFlight, 2)
    assert.equal(bound.ready, false)
    await smsc.waitFor('submit_sm', 2)
    bound.destroy(smppError('SMPP_CLOSED', 'end of test'))
  })

  it('rejects everything in flight as ambiguous when the connection drops', async () => {
    const { smsc, link } = await setUp(silentFor('submit_sm'))
    const bound = await link
    const a = bound.send(submit(), 'submit_sm')
    const b = bound.send(submit(), 'submit_sm')
    await smsc.waitFor('submit_sm', 2)
    smsc.conns[0]?.socket.destroy()
    for (const p of [a, b]) {
      await assert.rejects(p, (e) => isSmppError(e) && e.code === 'SMPP_LINK_LOST' && e.ambiguous)
    }
    assert.equal((await bound.closed).code, 'SMPP_LINK_LOST')
  })

  it('answers every deliver_sm: the handler status, ESME_RX_T_APPN when it fails', async () => {
    const statuses = [0, 0x64]
    let calls = 0
    const { smsc, link } = await setUp(healthy, {
      onDeliver: async () => {
        calls++
        if (calls === 2) throw new Error('store down')
        return 0
      },
    })
    await link
    const conn = smsc.conns[0]!
    for (const seq of [41, 42]) {
      conn.send({
        command: 'deliver_sm',
        sequence: seq,
        status: 0,
        ...shortMessageDefaults(),
        shortMessage: Buffer.from('x'),
      } as Pdu)
    }
    await smsc.waitFor('deliver_sm_resp', 2)
    const answers = conn.received.filter((p) => p.command === 'deliver_sm_resp')
    assert.deepEqual(
      answers.map((p) => [p.sequence, p.status]),
      [
        [41, statuses[0]],
        [42, statuses[1]],
      ],
    )
  })

  it('nacks a request it does not support and answers enquire_link from the SMSC', async () => {
    const { smsc, link } = await setUp()
    await link
    const conn = smsc.conns[0]!
    conn.send({
      command: 'unknown',
      commandId: 0x00000103,
      sequence: 5,
      status: 0,
      body: Buffer.alloc(0),
    })
    conn.send({ command: 'enquire_link', sequence: 6, status: 0 })
    await smsc.waitFor('generic_nack')
    await smsc.waitFor('enquire_link_resp')
    const nack = conn.received.find((p) => p.command === 'generic_nack')
    assert.deepEqual(nack, { command: 'generic_nack', sequence: 5, status: 0x03 })
  })

  it('answers an unbind from the SMSC and closes', async () => {
    const { smsc, link } = await setUp()
    const bound = await link
    smsc.conns[0]!.send({ command: 'unbind', sequence: 9, status: 0 })
    await smsc.waitFor('unbind_resp')
    smsc.conns[0]!.socket.end()
    assert.equal((await bound.closed).code, 'SMPP_LINK_LOST')
  })

  it('closes gracefully: lets requests in flight finish, then unbinds', async () => {
    let answerSubmit: (() => void) | undefined
    const { smsc, link } = await setUp((pdu, conn) => {
      if (pdu.command !== 'submit_sm') return healthy(pdu, conn)
      answerSubmit = () =>
        conn.send({
          command: 'submit_sm_resp',
          sequence: pdu.sequence,
          status: 0,
          messageId: 'late',
        })
      return undefined
    })
    const bound = await link
    const sent = bound.send(submit(), 'submit_sm')
    await smsc.waitFor('submit_sm')
    const closing = bound.close()
    await assert.rejects(bound.send(submit(), 'submit_sm'), /link is closing/)
    assert.equal(smsc.count('unbind'), 0)
    answerSubmit?.()
    assert.equal(((await sent) as { messageId: string }).messageId, 'late')
    await closing
    assert.equal(smsc.count('unbind'), 1)
    assert.equal(bound.state, 'closed')
  })
})
