import type { Logger } from '@plugboard/sdk'
import { BrokerError, describeCause } from '../errors.js'
import { type BackoffOptions, backoffDelay, interruptibleSleep } from './backoff.js'
import { endpointOrder, type ParsedEndpoint } from './endpoint.js'
import type { StatusCell } from './status.js'

/** One live connection to one endpoint, with its topology already declared. */
export interface Link {
  /** Index of the endpoint in the supervisor's list (0 = primary). */
  readonly endpointIndex: number
  /** Resolves (never rejects) once the connection is gone, with the reason when there is one. */
  readonly closed: Promise<Error | undefined>
  close(): Promise<void>
}

export interface SupervisorOptions<L extends Link> {
  endpoints: ParsedEndpoint[]
  priorityBackup: boolean
  randomize: boolean
  backoff: BackoffOptions
  /** How often a link on the secondary checks whether the primary answers again. */
  probeIntervalMs: number
  log: Logger
  status: StatusCell
  /** Connects within the connect timeout and declares the topology; cleans up after itself on failure. */
  open(endpoint: ParsedEndpoint, index: number): Promise<L>
  /** The link became the one in use: start the consumers on it. */
  activate(link: L): void
  /** The link is no longer in use (switched back to the primary, or closing): drain, then close. */
  retire(link: L): Promise<void>
}

export interface Supervisor<L extends Link> {
  /** Starts connecting (idempotent); resolves after the first link is active. */
  connect(): Promise<void>
  current(): L | undefined
  close(): Promise<void>
}

/**
 * The reconnect and failover loop shared by both drivers. It owns "which connection is in use":
 * rounds over the endpoints with exponential backoff and jitter, replaces a link that died, and
 * with priority-backup keeps probing the primary while on the secondary and switches back as soon
 * as a full connection (topology included) to the primary succeeds, so there is no gap.
 */
export function createSupervisor<L extends Link>(options: SupervisorOptions<L>): Supervisor<L> {
  const { endpoints, log, status } = options
  const sleeper = interruptibleSleep()
  let current: L | undefined
  let closing = false
  let looping = false
  let started = false
  let activations = 0
  let probeTimer: NodeJS.Timeout | undefined
  // Priority-backup makes the primary the first choice every time, so randomize only ever
  // spreads the first pick when the two endpoints are equals.
  let preferred =
    options.randomize && !options.priorityBackup && endpoints.length > 1
      ? Math.floor(Math.random() * endpoints.length)
      : 0
  const waiters: { resolve: () => void; reject: (e: Error) => void }[] = []

  function activate(link: L): void {
    current = link
    if (!options.priorityBackup) preferred = link.endpointIndex
    activations++
    const endpoint = endpoints[link.endpointIndex]!
    status.update({
      connected: true,
      endpoint: endpoint.display,
      reconnects: Math.max(0, activations - 1),
    })
    log.info({ endpoint: endpoint.display, reconnects: activations - 1 }, 'broker connected')
    link.closed.then((error) => {
      if (current !== link) return
      current = undefined
      const reason = error ? describeCause(error) : 'connection closed'
      status.update({ connected: false, lastError: reason })
      if (closing) return
      log.warn({ endpoint: endpoint.display, reason }, 'broker connection lost, reconnecting')
      void loop()
    })
    try {
      options.activate(link)
    } catch (error) {
      log.error({ err: describeCause(error) }, 'starting consumers failed')
    }
    for (const waiter of waiters.splice(0)) waiter.resolve()
    scheduleProbe()
  }

  async function loop(): Promise<void> {
    if (looping || closing) return
    looping = true
    try {
      for (let round = 1; !closing && !current; round++) {
        const order = options.priorityBackup
          ? endpointOrder(endpoints.length, 0)
          : endpointOrder(endpoints.length, preferred)
        for (const index of order) {
          if (closing || current) return
          const endpoint = endpoints[index]!
          try {
            const link = await options.open(endpoint, index)
            if (closing || current) {
              await link.close().catch(() => {})
              return
            }
            activate(link)
            return
          } catch (error) {
            const reason = `${endpoint.display}: ${describeCause(error)}`
            status.update({ lastError: reason })
            log.warn(
              { endpoint: endpoint.display, err: describeCause(error), round },
              'broker connect failed',
            )
          }
        }
        await sleeper.sleep(backoffDelay(round, options.backoff))
      }
    } finally {
      looping = false
    }
  }

  function scheduleProbe(): void {
    if (!options.priorityBackup || endpoints.length < 2 || probeTimer || closing) return
    if (!current || current.endpointIndex === 0) return
    probeTimer = setTimeout(async () => {
      if (closing || !current || current.endpointIndex === 0) {
        probeTimer = undefined
        return
      }
      try {
        const link = await options.open(endpoints[0]!, 0)
        if (closing || current?.endpointIndex === 0) {
          await link.close().catch(() => {})
        } else {
          const old = current
          log.info({ endpoint: endpoints[0]!.display }, 'primary answers again, switching back')
          probeTimer = undefined
          activate(link)
          if (old) {
            options.retire(old).catch((error) => {
              log.warn({ err: describeCause(error) }, 'closing the secondary link failed')
            })
          }
          return
        }
      } catch (error) {
        log.debug({ err: describeCause(error) }, 'primary still unavailable')
      }
      probeTimer = undefined
      scheduleProbe()
    }, options.probeIntervalMs)
    probeTimer.unref?.()
  }

  return {
    connect() {
      if (closing)
        return Promise.reject(new BrokerError('BROKER_CLOSED', 'the broker client is closed'))
      if (current) return Promise.resolve()
      const ready = new Promise<void>((resolve, reject) => waiters.push({ resolve, reject }))
      if (!started) {
        started = true
        void loop()
      }
      return ready
    },
    current: () => current,
    async close() {
      closing = true
      sleeper.wake()
      if (probeTimer) clearTimeout(probeTimer)
      probeTimer = undefined
      for (const waiter of waiters.splice(0)) {
        waiter.reject(new BrokerError('BROKER_CLOSED', 'closed before the first connection'))
      }
      const link = current
      current = undefined
      status.update({ connected: false })
      if (link) await options.retire(link)
    },
  }
}
