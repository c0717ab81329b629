/**
 * @module
 * One SMPP connection: bind, requests with a window and per-request response timeouts,
 * enquire_link with dead-link detection, every incoming deliver_sm answered, graceful unbind.
 * Re-binding is the client's job (client.ts); a link is used once.
 */
import type { Socket } from 'node:net'
import type { Logger } from '@plugboard/sdk'
import { isSmppError, type SmppError, smppError, statusError } from '../errors.js'
import { decodePdu, encodePdu } from '../pdu/codec.js'
import { INTERFACE_VERSION_34, isResponseId } from '../pdu/commands.js'
import { createFramer } from '../pdu/framer.js'
import { isCredentialStatus, STATUS } from '../pdu/status.js'
import type { BindCommand, DeliverSmPdu, Pdu } from '../pdu/types.js'
import type { Clock } from './clock.js'

export type BindType = 'transmitter' | 'receiver' | 'transceiver'

export interface BindCredentials {
  systemId: string
  password: string
  systemType?: string
  addrTon?: number
  addrNpi?: number
  addressRange?: string
}

/** Answers an incoming deliver_sm with a command_status (0 to accept it). */
export type DeliverHandler = (pdu: DeliverSmPdu) => Promise<number>

export interface LinkOptions {
  socket: Socket
  type: BindType
  credentials: BindCredentials
  /** Requests awaiting a response at most (submits and keep-alives alike). */
  window: number
  responseTimeoutMs: number
  /** Quiet time after which an enquire_link checks the peer is still there. */
  enquireLinkMs: number
  clock: Clock
  log: Logger
  /** For logs, e.g. `transceiver#1`. */
  name: string
  onDeliver?: DeliverHandler
  /** Called when a full window or a full socket buffer has room again. */
  onReady?: () => void
}

export type LinkState = 'binding' | 'bound' | 'closing' | 'closed'

export interface Link {
  readonly name: string
  readonly type: BindType
  readonly state: LinkState
  /** A transmitter or transceiver bind. */
  readonly canTransmit: boolean
  /** Bound, socket not backed up, and a free slot in the window. */
  readonly ready: boolean
  readonly inFlight: number
  /** Resolves once the link is closed, with the reason. */
  readonly closed: Promise<SmppError>
  /**
   * Sends a request PDU already encoded (the sequence number is written into it) and resolves
   * with the response, whatever its command_status. Rejects with SMPP_RESPONSE_TIMEOUT or
   * SMPP_LINK_LOST (both `ambiguous`), or SMPP_NOT_BOUND when nothing was written.
   */
  send(encoded: Buffer, command: string): Promise<Pdu>
  /** Holds writes until `uncork`, so a burst of submits leaves in few packets. */
  cork(): void
  uncork(): void
  /** Lets requests in flight finish, unbinds, closes. */
  close(): Promise<void>
  destroy(reason: SmppError): void
}

interface Pending {
  command: string
  resolve(pdu: Pdu): void
  reject(error: SmppError): void
  timer: unknown
}

const BIND_COMMAND: Record<BindType, BindCommand> = {
  transmitter: 'bind_transmitter',
  receiver: 'bind_receiver',
  transceiver: 'bind_transceiver',
}

/** Binds over a connected socket; resolves with the bound link or rejects (and closes the socket). */
export async function bindLink(options: LinkOptions): Promise<Link> {
  const link = createLink(options)
  const { credentials } = options
  const command = BIND_COMMAND[options.type]
  let resp: Pdu
  try {
    resp = await link.send(
      encodePdu({
        command,
        sequence: 0,
        status: 0,
        systemId: credentials.systemId,
        password: credentials.password,
        systemType: credentials.systemType ?? '',
        interfaceVersion: INTERFACE_VERSION_34,
        addrTon: credentials.addrTon ?? 0,
        addrNpi: credentials.addrNpi ?? 0,
        addressRange: credentials.addressRange ?? '',
      }),
      command,
    )
  } catch (error) {
    const reason = isSmppError(error) ? error : smppError('SMPP_LINK_LOST', String(error))
    link.destroy(reason)
    if (reason.code === 'SMPP_RESPONSE_TIMEOUT') {
      throw smppError(
        'SMPP_BIND_TIMEOUT',
        `${command} got no answer within ${options.responseTimeoutMs} ms; is this an SMPP port (SMPP-REMOTE-PORT) and is SMPP-SECURE right?`,
      )
    }
    throw reason
  }
  if (resp.status !== STATUS.OK) {
    const error = statusError(command, resp.status, bindFix(resp.status))
    link.destroy(error)
    throw error
  }
  link.markBound()
  return link
}

function bindFix(status: number): string {
  if (status === STATUS.INVALID_PASSWORD) return 'check SMPP-PASSWORD'
  if (status === STATUS.INVALID_SYSTEM_ID) return 'check SMPP-SYSTEM-ID'
  if (isCredentialStatus(status)) return 'check SMPP-SYSTEM-ID and SMPP-PASSWORD'
  if (status === 0x05 || status === STATUS.BIND_FAILED) {
    return 'the SMSC may allow fewer binds for this account than configured (SMPP-BINDS), or have a stale session; it is retried'
  }
  if (status === 0x53) return 'check SMPP-SYSTEM-TYPE'
  return 'check SMPP-BIND-TYPE and the account settings at the SMSC'
}

function createLink(options: LinkOptions): Link & { markBound(): void } {
  const { socket, clock, log } = options
  const framer = createFramer()
  const pending = new Map<number, Pending>()
  const idleWaiters = new Set<() => void>()
  let state: LinkState = 'binding'
  let sequence = 0
  let writable = true
  let lastReceivedAt = clock.now()
  let keepaliveTimer: unknown
  let probing = false
  let closeReason: SmppError | undefined
  let resolveClosed!: (reason: SmppError) => void
  const closed = new Promise<SmppError>((resolve) => {
    resolveClosed = resolve
  })

  const nextSequence = () => {
    sequence = sequence >= 0x7fffffff ? 1 : sequence + 1
    return sequence
  }

  const write = (buf: Buffer) => {
    if (!socket.write(buf)) writable = false
  }

  const settle = (seq: number): Pending | undefined => {
    const entry = pending.get(seq)
    if (!entry) return undefined
    pending.delete(seq)
    clock.clearTimeout(entry.timer)
    if (pending.size === 0) for (const wake of [...idleWaiters]) wake()
    return entry
  }

  const finalize = (reason: SmppError) => {
    if (state === 'closed') return
    state = 'closed'
    clock.clearTimeout(keepaliveTimer)
    const lost = [...pending.entries()]
    for (const [seq, entry] of lost) {
      settle(seq)
      entry.reject(
        smppError(
          'SMPP_LINK_LOST',
          `${entry.command} unanswered when the link closed: ${reason.message}`,
          {
            ambiguous: true,
            cause: reason,
          },
        ),
      )
    }
    for (const wake of [...idleWaiters]) wake()
    if (!socket.destroyed) socket.destroy()
    resolveClosed(reason)
  }

  const destroy = finalize

  const respond = (pdu: Pdu) => {
    if (state === 'closed' || socket.destroyed) return
    write(encodePdu(pdu))
  }

  const probe = () => {
    if (probing || state !== 'bound') return
    probing = true
    send(encodePdu({ command: 'enquire_link', sequence: 0, status: 0 }), 'enquire_link', true)
      .then(
        () => undefined,
        (error: SmppError) => {
          if (error.code === 'SMPP_RESPONSE_TIMEOUT') {
            log.warn({ link: options.name }, 'no enquire_link_resp; the link is dead')
            destroy(
              smppError(
                'SMPP_LINK_DEAD',
                `the SMSC did not answer enquire_link within ${options.responseTimeoutMs} ms`,
              ),
            )
          }
        },
      )
      .finally(() => {
        probing = false
      })
  }

  const scheduleKeepalive = () => {
    clock.clearTimeout(keepaliveTimer)
    if (state !== 'bound' && state !== 'closing') return
    const due = lastReceivedAt + options.enquireLinkMs - clock.now()
    keepaliveTimer = clock.setTimeout(
      () => {
        if (clock.now() - lastReceivedAt >= options.enquireLinkMs) probe()
        scheduleKeepalive()
      },
      Math.max(1, due > 0 ? due : options.enquireLinkMs),
    )
  }

  const handleRequest = (pdu: Pdu) => {
    switch (pdu.command) {
      case 'enquire_link':
        respond({ command: 'enquire_link_resp', sequence: pdu.sequence, status: 0 })
        return
      case 'unbind':
        log.info({ link: options.name }, 'the SMSC unbound the link')
        respond({ command: 'unbind_resp', sequence: pdu.sequence, status: 0 })
        closeReason = smppError('SMPP_LINK_LOST', 'the SMSC unbound the link')
        state = 'closing'
        socket.end()
        return
      case 'deliver_sm': {
        const handler = options.onDeliver
        if (!handler) {
          respond({ command: 'deliver_sm_resp', sequence: pdu.sequence, status: 0, messageId: '' })
          return
        }
        handler(pdu).then(
          (status) =>
            respond({ command: 'deliver_sm_resp', sequence: pdu.sequence, status, messageId: '' }),
          (error: unknown) => {
            log.error({ link: options.name, err: error }, 'deliver_sm handler failed')
            // A temporary error: the SMSC keeps the message and delivers it again later.
            respond({
              command: 'deliver_sm_resp',
              sequence: pdu.sequence,
              status: STATUS.TEMPORARY_APP_ERROR,
              messageId: '',
            })
          },
        )
        return
      }
      case 'unknown':
        // alert_notification has no response; every other unsupported request gets a nack.
        if (pdu.commandId === 0x00000102) return
        respond({
          command: 'generic_nack',
          sequence: pdu.sequence,
          status: STATUS.INVALID_COMMAND_ID,
        })
        return
      default:
        respond({
          command: 'generic_nack',
          sequence: pdu.sequence,
          status: STATUS.INVALID_COMMAND_ID,
        })
    }
  }

  const onFrame = (frame: Buffer) => {
    const commandId = frame.readUInt32BE(4)
    let pdu: Pdu
    try {
      pdu = decodePdu(frame)
    } catch (error) {
      const seq = frame.readUInt32BE(12)
      log.warn({ link: options.name, err: error }, 'malformed PDU from the SMSC')
      if (isResponseId(commandId)) {
        settle(seq)?.reject(error as SmppError)
      } else {
        respond({ command: 'generic_nack', sequence: seq, status: STATUS.INVALID_COMMAND_LENGTH })
      }
      return
    }
    if (isResponseId(commandId)) {
      const entry = settle(pdu.sequence)
      if (entry) entry.resolve(pdu)
      else
        log.debug(
          { link: options.name, sequence: pdu.sequence, command: pdu.command },
          'late or unknown response',
        )
      if (entry && options.onReady) options.onReady()
      return
    }
    handleRequest(pdu)
  }

  socket.on('data', (chunk: Buffer) => {
    lastReceivedAt = clock.now()
    let frames: Buffer[]
    try {
      frames = framer.push(chunk)
    } catch (error) {
      log.warn({ link: options.name, err: error }, 'unreadable SMPP stream; dropping the link')
      destroy(error as SmppError)
      return
    }
    for (const frame of frames) {
      if (state === 'closed') return
      onFrame(frame)
    }
  })
  socket.on('drain', () => {
    writable = true
    options.onReady?.()
  })
  socket.on('error', (error: Error & { code?: string }) => {
    closeReason ??= smppError('SMPP_LINK_LOST', `socket error: ${error.code ?? error.message}`, {
      cause: error,
    })
  })
  socket.on('close', () => {
    finalize(closeReason ?? smppError('SMPP_LINK_LOST', 'the SMSC closed the connection'))
  })

  function send(encoded: Buffer, command: string, bypassWindow = false): Promise<Pdu> {
    const allowed =
      state === 'bound' ||
      (state === 'binding' && command.startsWith('bind_')) ||
      (state === 'closing' && (command === 'unbind' || bypassWindow))
    if (!allowed || socket.destroyed) {
      return Promise.reject(
        smppError('SMPP_NOT_BOUND', `cannot send ${command}: the link is ${state}`),
      )
    }
    const seq = nextSequence()
    encoded.writeUInt32BE(seq, 12)
    return new Promise<Pdu>((resolve, reject) => {
      const timer = clock.setTimeout(() => {
        const entry = settle(seq)
        if (!entry) return
        entry.reject(
          smppError(
            'SMPP_RESPONSE_TIMEOUT',
            `no ${command}_resp within ${options.responseTimeoutMs} ms`,
            { ambiguous: true },
          ),
        )
        options.onReady?.()
        // A missing answer may be a dead peer: check now instead of at the next keep-alive.
        if (command !== 'enquire_link') probe()
      }, options.responseTimeoutMs)
      pending.set(seq, { command, resolve, reject, timer })
      write(encoded)
    })
  }

  const waitIdle = (timeoutMs: number) =>
    new Promise<void>((resolve) => {
      if (pending.size === 0) return resolve()
      const done = () => {
        clock.clearTimeout(timer)
        idleWaiters.delete(done)
        resolve()
      }
      const timer = clock.setTimeout(done, timeoutMs)
      idleWaiters.add(done)
    })

  let closing: Promise<void> | undefined

  return {
    name: options.name,
    type: options.type,
    get state() {
      return state
    },
    canTransmit: options.type !== 'receiver',
    get ready() {
      return state === 'bound' && writable && pending.size < options.window
    },
    get inFlight() {
      return pending.size
    },
    closed,
    send: (encoded, command) => send(encoded, command),
    cork: () => socket.cork(),
    uncork: () => socket.uncork(),
    markBound() {
      state = 'bound'
      lastReceivedAt = clock.now()
      scheduleKeepalive()
    },
    destroy,
    close() {
      closing ??= (async () => {
        if (state === 'closed') return
        const wasBound = state === 'bound'
        state = 'closing'
        await waitIdle(options.responseTimeoutMs)
        if (wasBound && !socket.destroyed) {
          await send(encodePdu({ command: 'unbind', sequence: 0, status: 0 }), 'unbind').catch(
            () => undefined,
          )
        }
        closeReason ??= smppError('SMPP_CLOSED', 'the connector closed the link')
        if (!socket.destroyed) socket.end()
        const timer = clock.setTimeout(
          () => destroy(closeReason ?? smppError('SMPP_CLOSED', 'closed')),
          2_000,
        )
        await closed
        clock.clearTimeout(timer)
      })()
      return closing
    },
  }
}
