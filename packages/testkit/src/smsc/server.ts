/**
 * @module
 * A stand-in SMSC: a real SMPP 3.4 server on a loopback port (TLS optional), built on the `smpp`
 * package so that what a client sends is decoded by a codec independent of the client's own. It
 * checks credentials, answers submits with message ids, sends receipts and customer messages, and
 * fails on demand: throttling, hung or slow answers, dropped links.
 */
import type { AddressInfo } from 'node:net'
import smpp, { type PDU, type Session } from 'smpp'
import { createRecorder, type WaitForOptions } from '../simulator-recorder.js'
import { createTasks } from '../simulator-tasks.js'
import { assembleMessages, describeSubmit, findDuplicates } from './decode.js'
import { createDeliveries, type SimSession } from './deliveries.js'
import { type MoInput, moPdus } from './mo-pdus.js'
import { createRateWindow } from './rate.js'
import { type ReceiptFormat, receiptPdu } from './receipt-pdu.js'
import type {
  BindType,
  ReceiptState,
  SmscBind,
  SmscDelivery,
  SmscMessage,
  SmscRejection,
  SmscSubmit,
} from './types.js'

export interface SmscAccount {
  systemId: string
  password: string
}

export interface SmscReceiptOptions extends ReceiptFormat {
  /** Delay between accepting a submit and sending its receipt; default 10 ms. */
  delayMs?: number
  /** The final state, fixed or per submit; default `DELIVRD`. */
  state?: ReceiptState | ((submit: SmscSubmit) => ReceiptState)
}

export interface SmscSimulatorOptions {
  /** Default 0: any free port on 127.0.0.1. */
  port?: number
  /** Serve SMPP over TLS with this key and certificate (PEM). */
  tls?: { key: string | Buffer; cert: string | Buffer }
  /** Default one account: `plugboard` / `secret`. */
  accounts?: SmscAccount[]
  /** Receipts for submits that ask for one (registered_delivery); `false` sends none. */
  receipts?: SmscReceiptOptions | false
  /** Refuse submits beyond this many per second and account with ESME_RTHROTTLED. */
  maxTps?: number
  /** Hold each submit_sm_resp this long. */
  responseDelayMs?: number
  /** `hex` (default, e.g. `0001E240`) or `decimal` message ids. */
  messageIds?: 'hex' | 'decimal'
  /** Keep a record of every submit (default true; a benchmark may turn it off). */
  record?: boolean
  /** Delay before delivering again a deliver_sm the client refused; default 50 ms. */
  redeliverDelayMs?: number
}

export type HeldSubmits = 'discard' | 'accept'

export interface SmscSimulator {
  readonly host: string
  readonly port: number
  readonly tls: boolean
  /** Accepted submits in arrival order (a part sent twice appears twice). */
  readonly submits: readonly SmscSubmit[]
  /** Submits answered with an error, and held ones discarded by `dropLinks`. */
  readonly rejected: readonly SmscRejection[]
  /** Every bind attempt, refused ones included. */
  readonly binds: readonly SmscBind[]
  /** Every answered deliver_sm (receipts and customer messages). */
  readonly deliveries: readonly SmscDelivery[]
  /** Submits accepted so far, also when `record` is off. */
  readonly accepted: number
  /** Links currently bound. */
  readonly bound: number
  /** Submits received while responses are held. */
  readonly held: number
  /** deliver_sm sent and not answered yet, and waiting for a receiving bind. */
  readonly unansweredDeliveries: number
  waitFor(
    predicate: (submit: SmscSubmit) => boolean,
    options?: WaitForOptions,
  ): Promise<SmscSubmit[]>
  waitForBind(predicate: (bind: SmscBind) => boolean, options?: WaitForOptions): Promise<SmscBind[]>
  waitForDelivery(
    predicate: (delivery: SmscDelivery) => boolean,
    options?: WaitForOptions,
  ): Promise<SmscDelivery[]>
  /** MT messages rebuilt from their parts. */
  messages(): SmscMessage[]
  /** Parts accepted more than once (same addresses, text and concatenation). */
  duplicates(): { key: string; count: number; messageIds: string[] }[]
  setPassword(systemId: string, password: string): void
  setMaxTps(tps: number | undefined): void
  setResponseDelay(ms: number): void
  /** The next `n` submits are answered with `status` (e.g. ESME_RMSGQFUL = 0x14). */
  failNext(n: number, status: number): void
  /** Takes submits without answering them, so the client's window fills up. */
  holdResponses(): void
  /** Answers the held submits (accepting them) and stops holding. */
  releaseResponses(): void
  /**
   * Drops every link at once. Held submits are `discard`ed (never reached the SMSC: the default)
   * or `accept`ed (taken, but the answer is lost with the link). Holding stops.
   */
  dropLinks(options?: { held?: HeldSubmits }): number
  /** Answers nothing at all (submits, enquire_link) until unmuted: a hung SMSC. */
  mute(muted: boolean): void
  /** Keeps receipts back until `releaseReceipts`. */
  holdReceipts(): void
  /** Sends held receipts, in order or last-first. */
  releaseReceipts(options?: { order?: 'fifo' | 'reverse' }): number
  /**
   * Delivers a customer message (MO), parts as asked; resolves when the client acknowledged every
   * part with ESME_ROK, rejects after `timeoutMs` (default 10 s).
   */
  injectMo(input: MoInput & { systemId?: string; timeoutMs?: number }): Promise<void>
  close(): Promise<void>
}

let sessionCounter = 0

export async function startSmscSimulator(
  options: SmscSimulatorOptions = {},
): Promise<SmscSimulator> {
  const tasks = createTasks()
  const passwords = new Map(
    (options.accounts ?? [{ systemId: 'plugboard', password: 'secret' }]).map((a) => [
      a.systemId,
      a.password,
    ]),
  )
  const defaultSystemId = passwords.keys().next().value as string
  const record = options.record ?? true
  const submits = createRecorder<SmscSubmit>(
    'SMSC simulator submits',
    (s) =>
      `${s.messageId} ${s.source}>${s.destination} dc=${s.dataCoding} "${s.text.slice(0, 40)}"`,
  )
  const binds = createRecorder<SmscBind>(
    'SMSC simulator binds',
    (b) => `${b.type} ${b.systemId}: status ${b.status}`,
  )
  const rejected: SmscRejection[] = []
  const sessions: SimSession[] = []
  const rates = new Map<string, ReturnType<typeof createRateWindow>>()
  const failures: number[] = []
  const heldSubmits: { sim: SimSession; pdu: PDU }[] = []
  const heldReceipts: { systemId: string; ref: string; pdu: Record<string, unknown> }[] = []
  const deliveries = createDeliveries({
    tasks,
    sessions: () => sessions,
    redeliverDelayMs: options.redeliverDelayMs ?? 50,
  })
  let maxTps = options.maxTps
  let responseDelayMs = options.responseDelayMs ?? 0
  let holding = false
  let holdingReceipts = false
  let muted = false
  let accepted = 0
  let nextId = 0x1e240

  const receiptOptions = options.receipts === false ? undefined : (options.receipts ?? {})

  const answer = (sim: SimSession, pdu: PDU, fields: Record<string, unknown>) => {
    const send = () => {
      if (!sim.session.closed) sim.session.send(pdu.response(fields))
    }
    if (responseDelayMs > 0) void tasks.sleep(responseDelayMs).then(send)
    else send()
  }

  const newMessageId = () => {
    const n = nextId++
    return options.messageIds === 'decimal'
      ? String(n)
      : n.toString(16).toUpperCase().padStart(8, '0')
  }

  const accept = (sim: SimSession, pdu: PDU, respond: boolean) => {
    const messageId = newMessageId()
    accepted++
    const submit = describeSubmit(pdu, {
      messageId,
      systemId: sim.systemId ?? '',
      sessionId: sim.id,
    })
    if (record) submits.push(submit)
    if (respond) answer(sim, pdu, { message_id: messageId })
    if (receiptOptions && (submit.registeredDelivery & 0x03) !== 0) scheduleReceipt(submit)
  }

  const scheduleReceipt = (submit: SmscSubmit) => {
    const opts = receiptOptions as SmscReceiptOptions
    const state = typeof opts.state === 'function' ? opts.state(submit) : (opts.state ?? 'DELIVRD')
    // registered_delivery 0x02 asks for failure receipts only.
    if ((submit.registeredDelivery & 0x03) === 0x02 && state === 'DELIVRD') return
    const item = {
      systemId: submit.systemId,
      ref: submit.messageId,
      pdu: receiptPdu(submit, state, opts),
    }
    void tasks.sleep(opts.delayMs ?? 10).then(() => {
      if (tasks.closed) return
      if (holdingReceipts) heldReceipts.push(item)
      else void deliveries.enqueue('receipt', item.systemId, item.ref, item.pdu)
    })
  }

  const reject = (sim: SimSession, pdu: PDU, status: number, reason: SmscRejection['reason']) => {
    const submit = describeSubmit(pdu, {
      messageId: '',
      systemId: sim.systemId ?? '',
      sessionId: sim.id,
    })
    rejected.push({
      systemId: submit.systemId,
      destination: submit.destination,
      text: submit.text,
      status,
      reason,
    })
    answer(sim, pdu, { command_status: status })
  }

  const onSubmit = (sim: SimSession, pdu: PDU) => {
    if (muted) return
    if (!sim.bound || sim.type === 'receiver') {
      reject(sim, pdu, smpp.errors.ESME_RINVBNDSTS as number, 'not-bound')
      return
    }
    const failure = failures.shift()
    if (failure !== undefined) {
      reject(sim, pdu, failure, 'failNext')
      return
    }
    if (maxTps !== undefined) {
      let window = rates.get(sim.systemId ?? '')
      if (!window) {
        window = createRateWindow()
        rates.set(sim.systemId ?? '', window)
      }
      if (!window.tryTake(maxTps)) {
        reject(sim, pdu, smpp.errors.ESME_RTHROTTLED as number, 'throttled')
        return
      }
    }
    if (holding) {
      heldSubmits.push({ sim, pdu })
      return
    }
    accept(sim, pdu, true)
  }

  const onBind = (sim: SimSession, type: BindType, pdu: PDU) => {
    const systemId = String(pdu.system_id ?? '')
    const expected = passwords.get(systemId)
    let status = 0
    if (sim.bound) status = smpp.errors.ESME_RALYBND as number
    else if (expected === undefined) status = smpp.errors.ESME_RINVSYSID as number
    else if (expected !== String(pdu.password ?? '')) status = smpp.errors.ESME_RINVPASWD as number
    if (status === 0) {
      sim.bound = true
      sim.systemId = systemId
      sim.type = type
      sim.session.send(pdu.response({ system_id: 'plugboard-smsc' }))
    } else {
      sim.session.send(pdu.response({ command_status: status }))
    }
    binds.push({ systemId, type, status, sessionId: sim.id, at: Date.now() })
    if (status === 0) deliveries.pump()
  }

  const onSession = (session: Session) => {
    const sim: SimSession = {
      id: ++sessionCounter,
      session,
      systemId: undefined,
      type: undefined,
      bound: false,
    }
    sessions.push(sim)
    // Tests reset connections on purpose; an unhandled 'error' would end the test process.
    session.on('error', () => {})
    for (const type of ['transmitter', 'receiver', 'transceiver'] as const) {
      session.on(`bind_${type}`, (pdu: PDU) => onBind(sim, type, pdu))
    }
    session.on('submit_sm', (pdu: PDU) => onSubmit(sim, pdu))
    session.on('enquire_link', (pdu: PDU) => {
      if (!muted) session.send(pdu.response())
    })
    session.on('unbind', (pdu: PDU) => {
      session.send(pdu.response())
      sim.bound = false
      session.close()
    })
    session.on('close', () => {
      sim.bound = false
      sessions.splice(sessions.indexOf(sim), 1)
      deliveries.sessionClosed(sim)
    })
  }

  const server = smpp.createServer(
    options.tls ? { key: options.tls.key, cert: options.tls.cert } : {},
    onSession,
  )
  server.on('error', () => {})
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo

  const releaseHeld = (how: HeldSubmits, respond: boolean) => {
    for (const { sim, pdu } of heldSubmits.splice(0)) {
      if (how === 'accept') accept(sim, pdu, respond)
      else {
        const submit = describeSubmit(pdu, {
          messageId: '',
          systemId: sim.systemId ?? '',
          sessionId: sim.id,
        })
        rejected.push({
          systemId: submit.systemId,
          destination: submit.destination,
          text: submit.text,
          status: -1,
          reason: 'discarded',
        })
      }
    }
  }

  return {
    host: '127.0.0.1',
    port,
    tls: Boolean(options.tls),
    get submits() {
      return submits.items
    },
    rejected,
    get binds() {
      return binds.items
    },
    get deliveries() {
      return deliveries.recorder.items
    },
    get accepted() {
      return accepted
    },
    get bound() {
      return sessions.filter((s) => s.bound).length
    },
    get held() {
      return heldSubmits.length
    },
    get unansweredDeliveries() {
      return deliveries.unanswered + deliveries.queued
    },
    waitFor: (predicate, waitOptions) => submits.waitFor(predicate, waitOptions),
    waitForBind: (predicate, waitOptions) => binds.waitFor(predicate, waitOptions),
    waitForDelivery: (predicate, waitOptions) =>
      deliveries.recorder.waitFor(predicate, waitOptions),
    messages: () => assembleMessages(submits.items),
    duplicates: () => findDuplicates(submits.items),
    setPassword(systemId, password) {
      passwords.set(systemId, password)
    },
    setMaxTps(tps) {
      maxTps = tps
    },
    setResponseDelay(ms) {
      responseDelayMs = ms
    },
    failNext(n, status) {
      for (let i = 0; i < n; i++) failures.push(status)
    },
    holdResponses() {
      holding = true
    },
    releaseResponses() {
      holding = false
      releaseHeld('accept', true)
    },
    dropLinks(dropOptions = {}) {
      holding = false
      releaseHeld(dropOptions.held ?? 'discard', false)
      const dropped = sessions.length
      for (const sim of [...sessions]) sim.session.destroy()
      return dropped
    },
    mute(value) {
      muted = value
    },
    holdReceipts() {
      holdingReceipts = true
    },
    releaseReceipts(releaseOptions = {}) {
      holdingReceipts = false
      const items = heldReceipts.splice(0)
      if (releaseOptions.order === 'reverse') items.reverse()
      for (const item of items)
        void deliveries.enqueue('receipt', item.systemId, item.ref, item.pdu)
      return items.length
    },
    async injectMo(input) {
      const systemId = input.systemId ?? defaultSystemId
      const timeoutMs = input.timeoutMs ?? 10_000
      const acknowledged = Promise.all(
        moPdus(input).map((pdu) => deliveries.enqueue('mo', systemId, input.from, pdu)),
      )
      let timer: NodeJS.Timeout | undefined
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const answers = deliveries.recorder.items
            .filter((d) => d.kind === 'mo' && d.ref === input.from)
            .map((d) => d.status)
          reject(
            new Error(
              `SMSC simulator: the customer message from ${input.from} was not acknowledged within ${timeoutMs} ms (bound links: ${sessions.filter((s) => s.bound).length}, answers so far: ${JSON.stringify(answers)})`,
            ),
          )
        }, timeoutMs)
      })
      try {
        await Promise.race([acknowledged, timeout])
      } finally {
        clearTimeout(timer)
      }
    },
    async close() {
      if (tasks.closed) return
      tasks.close()
      submits.abort('closed')
      binds.abort('closed')
      deliveries.recorder.abort('closed')
      for (const sim of [...sessions]) sim.session.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
