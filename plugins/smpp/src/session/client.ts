/**
 * @module
 * The session layer a connector (or a broker consumer) submits through: one SMSC account, any
 * number of binds, a shared queue drained into the binds' windows at the account's TPS. It
 * re-binds with backoff, pauses when the SMSC throttles and retries what it refused, and sends
 * again what a dropped link left unanswered (at-least-once; see `resubmitAmbiguous`).
 */
import type { Socket } from 'node:net'
import type { HealthState, Logger } from '@plugboard/sdk'
import { isSmppError, type SmppError, smppError, statusError } from '../errors.js'
import { encodePdu } from '../pdu/codec.js'
import { describeStatus, isCredentialStatus, isThrottleStatus, STATUS } from '../pdu/status.js'
import type { Pdu, ShortMessageFields } from '../pdu/types.js'
import { type BackoffOptions, backoffDelay } from './backoff.js'
import { type Clock, sleep, systemClock } from './clock.js'
import {
  type BindCredentials,
  type BindType,
  bindLink,
  type DeliverHandler,
  type Link,
} from './link.js'
import { createFifo } from './queue.js'
import { createThrottle } from './throttle.js'
import { type Endpoint, openSocket } from './transport.js'

export interface BindSpec {
  type: BindType
  count: number
}

export interface SmppClientOptions {
  endpoint: Endpoint
  credentials: BindCredentials
  /** e.g. `[{ type: 'transceiver', count: 1 }]`, or a transmitter and a receiver. */
  binds: readonly BindSpec[]
  /** Requests in flight per bind (default 10). */
  window?: number
  /** Submits per second over all binds; 0 = unlimited (default). */
  tps?: number
  /** Per-request wait for a response (default 10 s). */
  responseTimeoutMs?: number
  connectTimeoutMs?: number
  /** Quiet time before an enquire_link checks the link (default 30 s). */
  enquireLinkMs?: number
  /** Backoff between re-bind attempts (default 1 s doubling to 60 s). */
  reconnect?: BackoffOptions
  /** Pause after ESME_RTHROTTLED / ESME_RMSGQFUL (default 1 s doubling to 30 s). */
  throttlePause?: BackoffOptions
  /** Default deadline of a submit: queueing, retries and all (default 60 s). */
  submitTimeoutMs?: number
  /**
   * Submit again what a dropped link or a response timeout left unanswered (default true). The
   * SMSC may have taken the first copy, so this trades a rare duplicate for never losing one.
   */
  resubmitAmbiguous?: boolean
  onDeliver?: DeliverHandler
  log: Logger
  clock?: Clock
  random?: () => number
  /** Opens the socket; the default connects with TCP or TLS. */
  connect?: typeof openSocket
}

export interface SubmitOptions {
  /** Overrides `submitTimeoutMs` for this submit. */
  timeoutMs?: number
}

export interface SubmitResult {
  messageId: string
  /** Times it was written to a link (more than 1 after throttling or a dropped link). */
  attempts: number
  /** An earlier attempt went unanswered: the SMSC may hold a duplicate. */
  ambiguous: boolean
}

export interface ClientHealth {
  state: HealthState
  detail?: string
}

export interface ClientStats {
  queued: number
  inFlight: number
  bound: number
  binds: number
  submitted: number
  accepted: number
  throttled: number
  resubmitted: number
  pausedForMs: number
}

export interface SmppClient {
  /** Starts binding in the background; submits queue until a transmitter is bound. */
  start(): void
  /** Submits one short message; resolves with the SMSC's message id. */
  submit(fields: ShortMessageFields, options?: SubmitOptions): Promise<SubmitResult>
  health(): ClientHealth
  stats(): ClientStats
  /** Resolves once a transmitting bind is up (or rejects after `timeoutMs`). */
  whenBound(timeoutMs?: number): Promise<void>
  /** Rejects what is queued, lets in-flight requests finish, unbinds every link. */
  close(): Promise<void>
}

interface Item {
  encoded: Buffer
  deadline: number
  attempts: number
  ambiguous: boolean
  state: 'queued' | 'inflight' | 'done'
  resolve(result: SubmitResult): void
  reject(error: unknown): void
}

interface Slot {
  name: string
  type: BindType
  state: 'idle' | 'connecting' | 'binding' | 'bound' | 'waiting' | 'stopped'
  link: Link | undefined
  lastError: string | undefined
}

const SWEEP_MS = 250

export function createSmppClient(options: SmppClientOptions): SmppClient {
  const clock = options.clock ?? systemClock
  const random = options.random ?? Math.random
  const log = options.log
  const window = options.window ?? 10
  const responseTimeoutMs = options.responseTimeoutMs ?? 10_000
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000
  const enquireLinkMs = options.enquireLinkMs ?? 30_000
  const reconnect = options.reconnect ?? { minMs: 1_000, maxMs: 60_000 }
  const throttlePause = options.throttlePause ?? { minMs: 1_000, maxMs: 30_000 }
  const submitTimeoutMs = options.submitTimeoutMs ?? 60_000
  const resubmitAmbiguous = options.resubmitAmbiguous ?? true
  const connect = options.connect ?? openSocket
  const throttle = createThrottle(options.tps ?? 0, clock)
  const canTransmit = options.binds.some((b) => b.type !== 'receiver' && b.count > 0)

  const queue = createFifo<Item>()
  // Refused or unanswered items go first, in the order they failed, ahead of new ones.
  const retries = createFifo<Item>()
  const slots: Slot[] = options.binds.flatMap((spec) =>
    Array.from({ length: spec.count }, (_, i) => ({
      name: `${spec.type}#${i + 1}`,
      type: spec.type,
      state: 'idle' as const,
      link: undefined,
      lastError: undefined,
    })),
  )
  const abort = new AbortController()
  const loops: Promise<void>[] = []
  const boundWaiters = new Set<() => void>()
  let started = false
  let closing = false
  let pumping = false
  let pumpTimer: unknown
  let pumpAt = Number.POSITIVE_INFINITY
  let sweepTimer: unknown
  let pausedUntil = 0
  let throttleStreak = 0
  let credentialError: SmppError | undefined
  const counts = { submitted: 0, accepted: 0, throttled: 0, resubmitted: 0 }

  const pending = () => queue.length + retries.length

  const finish = (item: Item, outcome: { result?: SubmitResult; error?: unknown }) => {
    if (item.state === 'done') return
    item.state = 'done'
    if (outcome.error !== undefined) item.reject(outcome.error)
    else item.resolve(outcome.result as SubmitResult)
  }

  const schedulePump = (delayMs: number) => {
    const at = clock.now() + delayMs
    if (pumpTimer !== undefined && pumpAt <= at) return
    clock.clearTimeout(pumpTimer)
    pumpAt = at
    pumpTimer = clock.setTimeout(
      () => {
        pumpTimer = undefined
        pumpAt = Number.POSITIVE_INFINITY
        pump()
      },
      Math.max(1, Math.ceil(delayMs)),
    )
  }

  const pickLink = (): Link | undefined => {
    let best: Link | undefined
    for (const slot of slots) {
      const link = slot.link
      if (!link?.canTransmit || !link.ready) continue
      if (!best || link.inFlight < best.inFlight) best = link
    }
    return best
  }

  const nextItem = (): Item | undefined => {
    for (const fifo of [retries, queue]) {
      while (fifo.length > 0) {
        const head = fifo.peek() as Item
        if (head.state === 'queued') return head
        fifo.shift()
      }
    }
    return undefined
  }

  const takeItem = (item: Item) => {
    if (retries.peek() === item) retries.shift()
    else queue.shift()
  }

  function pump(): void {
    if (pumping || closing) return
    pumping = true
    const corked = new Set<Link>()
    try {
      for (;;) {
        const item = nextItem()
        if (!item) break
        const now = clock.now()
        if (now < pausedUntil) {
          schedulePump(pausedUntil - now)
          break
        }
        const link = pickLink()
        if (!link) break
        const wait = throttle.reserve()
        if (wait > 0) {
          schedulePump(wait)
          break
        }
        takeItem(item)
        if (!corked.has(link)) {
          link.cork()
          corked.add(link)
        }
        dispatch(item, link)
      }
    } finally {
      pumping = false
      for (const link of corked) link.uncork()
    }
  }

  const dispatch = (item: Item, link: Link) => {
    item.state = 'inflight'
    item.attempts++
    counts.submitted++
    if (item.attempts > 1) counts.resubmitted++
    // The first attempt's buffer may still sit in a socket queue; a retry gets its own copy.
    const encoded = item.attempts === 1 ? item.encoded : Buffer.from(item.encoded)
    link.send(encoded, 'submit_sm').then(
      (resp) => onResponse(item, link, resp),
      (error: unknown) => onFailure(item, error),
    )
  }

  const requeue = (item: Item, why: SmppError) => {
    if (closing) {
      finish(item, {
        error: smppError('SMPP_CLOSED', `the connector is stopping: ${why.message}`, {
          ambiguous: item.ambiguous,
          cause: why,
        }),
      })
      return
    }
    if (clock.now() >= item.deadline) {
      finish(item, { error: why })
      return
    }
    item.state = 'queued'
    retries.push(item)
    ensureSweep()
  }

  const onResponse = (item: Item, link: Link, resp: Pdu) => {
    // A generic_nack means the SMSC could not read the request, whatever its status says.
    const status =
      resp.command === 'generic_nack' && resp.status === STATUS.OK
        ? STATUS.INVALID_COMMAND_ID
        : resp.status
    if (status === STATUS.OK) {
      throttleStreak = 0
      counts.accepted++
      finish(item, {
        result: {
          messageId: 'messageId' in resp ? resp.messageId : '',
          attempts: item.attempts,
          ambiguous: item.ambiguous,
        },
      })
    } else if (isThrottleStatus(status)) {
      counts.throttled++
      pauseForThrottle(status)
      requeue(item, statusError('submit_sm', status, 'the SMSC kept refusing; lower SMPP-TPS'))
    } else if (status === STATUS.INVALID_BIND_STATUS) {
      // The SMSC no longer considers this link bound: re-bind and send it again.
      link.destroy(smppError('SMPP_LINK_LOST', `submit_sm answered ${describeStatus(status)}`))
      requeue(item, statusError('submit_sm', status))
    } else {
      finish(item, { error: statusError('submit_sm', status) })
    }
    pump()
  }

  const onFailure = (item: Item, error: unknown) => {
    if (isSmppError(error) && error.code === 'SMPP_NOT_BOUND') {
      requeue(item, error)
    } else if (isSmppError(error) && error.ambiguous) {
      item.ambiguous = true
      if (resubmitAmbiguous) requeue(item, error)
      else finish(item, { error })
    } else {
      finish(item, { error })
    }
    pump()
  }

  const pauseForThrottle = (status: number) => {
    const now = clock.now()
    if (now < pausedUntil) return
    const delay = backoffDelay(throttleStreak++, throttlePause, random)
    pausedUntil = now + delay
    log.warn(
      { status: describeStatus(status), pauseMs: delay, queued: pending() },
      'the SMSC is throttling; pausing submits',
    )
  }

  // Expires queued items past their deadline; in-flight ones settle through their own timeout.
  const ensureSweep = () => {
    if (sweepTimer !== undefined || closing) return
    sweepTimer = clock.setTimeout(sweep, SWEEP_MS)
  }

  function sweep(): void {
    sweepTimer = undefined
    const now = clock.now()
    for (const fifo of [retries, queue]) {
      for (const item of fifo) {
        if (item.state !== 'queued' || now < item.deadline) continue
        finish(item, {
          error: smppError(
            'SMPP_QUEUE_TIMEOUT',
            credentialError
              ? `no bind could be made to send it: ${credentialError.message}`
              : `not sent within its deadline: ${boundCount() === 0 ? 'no bind is up' : 'the SMSC is slow or throttling'}`,
            { ambiguous: item.ambiguous },
          ),
        })
      }
    }
    if (pending() > 0) ensureSweep()
  }

  const boundCount = () => slots.filter((s) => s.link?.state === 'bound').length

  // Credentials refused while nothing can transmit: fail fast instead of letting work time out.
  const failQueuedForCredentials = (error: SmppError) => {
    if (slots.some((s) => s.link?.canTransmit && s.link.state === 'bound')) return
    for (const fifo of [retries, queue]) {
      for (const item of fifo.drain()) finish(item, { error })
    }
  }

  const runSlot = async (slot: Slot): Promise<void> => {
    let attempt = 0
    while (!closing) {
      let boundAt: number | undefined
      try {
        slot.state = 'connecting'
        const socket: Socket = await connect(options.endpoint, {
          timeoutMs: connectTimeoutMs,
          clock,
          signal: abort.signal,
        })
        if (closing) {
          socket.destroy()
          break
        }
        slot.state = 'binding'
        // Closing while the bind is unanswered must not wait for the bind timeout.
        const onAbort = () => socket.destroy()
        abort.signal.addEventListener('abort', onAbort, { once: true })
        const link = await bindLink({
          socket,
          type: slot.type,
          credentials: options.credentials,
          window,
          responseTimeoutMs,
          enquireLinkMs,
          clock,
          log,
          name: slot.name,
          ...(options.onDeliver ? { onDeliver: options.onDeliver } : {}),
          onReady: () => pump(),
        }).finally(() => abort.signal.removeEventListener('abort', onAbort))
        if (closing) {
          await link.close()
          break
        }
        boundAt = clock.now()
        slot.link = link
        slot.state = 'bound'
        slot.lastError = undefined
        credentialError = undefined
        log.info(
          { link: slot.name, systemId: options.credentials.systemId, host: options.endpoint.host },
          'SMPP bind up',
        )
        for (const wake of [...boundWaiters]) wake()
        pump()
        const reason = await link.closed
        slot.link = undefined
        if (closing) break
        slot.lastError = `link lost: ${reason.message}`
        log.warn({ link: slot.name, reason: reason.message }, 'SMPP link lost; re-binding')
      } catch (error) {
        slot.link = undefined
        if (closing) break
        const smpp = isSmppError(error) ? error : undefined
        slot.lastError = smpp?.message ?? String(error)
        if (smpp?.code === 'SMPP_BIND_REFUSED' && isCredentialStatus(smpp.status ?? -1)) {
          credentialError = smpp
          failQueuedForCredentials(smpp)
        }
        log.warn(
          { link: slot.name, attempt: attempt + 1, reason: slot.lastError },
          'SMPP bind failed',
        )
      }
      // A link that stayed up a while starts the backoff afresh; a flapping one keeps backing off.
      if (boundAt !== undefined && clock.now() - boundAt > reconnect.maxMs) attempt = 0
      slot.state = 'waiting'
      await sleep(clock, backoffDelay(attempt++, reconnect, random), abort.signal)
    }
    slot.state = 'stopped'
  }

  return {
    start() {
      if (started || closing) return
      started = true
      for (const slot of slots) loops.push(runSlot(slot))
    },

    submit(fields, submitOptions = {}) {
      if (closing) {
        return Promise.reject(smppError('SMPP_CLOSED', 'the SMPP session is closed'))
      }
      if (!canTransmit) {
        return Promise.reject(
          smppError(
            'SMPP_NO_TRANSMITTER',
            'this connector only has receiver binds; set SMPP-BIND-TYPE to 0 (transmitter) or 2 (transceiver) to send',
          ),
        )
      }
      if (credentialError && !slots.some((s) => s.link?.canTransmit)) {
        return Promise.reject(credentialError)
      }
      let encoded: Buffer
      try {
        encoded = encodePdu({ command: 'submit_sm', sequence: 0, status: 0, ...fields })
      } catch (error) {
        return Promise.reject(error)
      }
      return new Promise<SubmitResult>((resolve, reject) => {
        queue.push({
          encoded,
          deadline: clock.now() + (submitOptions.timeoutMs ?? submitTimeoutMs),
          attempts: 0,
          ambiguous: false,
          state: 'queued',
          resolve,
          reject,
        })
        ensureSweep()
        pump()
      })
    },

    health() {
      const total = slots.length
      const up = boundCount()
      const lastError = slots.find((s) => s.lastError)?.lastError
      const paused = clock.now() < pausedUntil ? '; paused: the SMSC is throttling' : ''
      if (up === total) return { state: 'up', ...(paused ? { detail: paused.slice(2) } : {}) }
      const detail = `${up}/${total} SMPP binds up${lastError ? `; ${lastError}` : ''}${paused}`
      return { state: up === 0 ? 'down' : 'degraded', detail }
    },

    stats() {
      let inFlight = 0
      for (const slot of slots) inFlight += slot.link?.inFlight ?? 0
      return {
        queued: pending(),
        inFlight,
        bound: boundCount(),
        binds: slots.length,
        ...counts,
        pausedForMs: Math.max(0, pausedUntil - clock.now()),
      }
    },

    whenBound(timeoutMs = 30_000) {
      if (slots.some((s) => s.link?.canTransmit && s.link.state === 'bound')) {
        return Promise.resolve()
      }
      return new Promise<void>((resolve, reject) => {
        const timer = clock.setTimeout(() => {
          boundWaiters.delete(wake)
          reject(
            smppError(
              'SMPP_NOT_BOUND',
              `no transmitting bind within ${timeoutMs} ms: ${slots.find((s) => s.lastError)?.lastError ?? 'still connecting'}`,
            ),
          )
        }, timeoutMs)
        const wake = () => {
          if (!slots.some((s) => s.link?.canTransmit && s.link.state === 'bound')) return
          clock.clearTimeout(timer)
          boundWaiters.delete(wake)
          resolve()
        }
        boundWaiters.add(wake)
      })
    },

    async close() {
      if (closing) {
        await Promise.all(loops)
        return
      }
      closing = true
      abort.abort()
      clock.clearTimeout(pumpTimer)
      clock.clearTimeout(sweepTimer)
      const closed = smppError('SMPP_CLOSED', 'the SMPP session closed before this was sent')
      for (const fifo of [retries, queue])
        for (const item of fifo.drain()) finish(item, { error: closed })
      await Promise.all(slots.map((s) => s.link?.close()))
      await Promise.all(loops)
    },
  }
}
