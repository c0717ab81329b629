import type { Logger } from '@plugboard/sdk'
import { type BackoffOptions, backoffDelay } from './connection/backoff.js'
import type { ConsumerEntry } from './consumer-entry.js'
import { BrokerError, describeCause } from './errors.js'

export interface RunningConsumer {
  /** Stops the subscription; what the handler holds can still be settled, then it closes. */
  stop(): Promise<void>
  unsettled(): number
}

export interface ConsumerSet {
  /** Starts the entry's consumer; on failure rejects and keeps retrying while the entry is active. */
  start(entry: ConsumerEntry): Promise<void>
  stop(entry: ConsumerEntry): Promise<void>
  /** Stops every consumer and returns them, so the caller can wait for their settlements. */
  stopAll(): Promise<RunningConsumer[]>
  /** The connection is gone: forget everything, cancel pending restarts. */
  clear(): void
}

export interface ConsumerSetDeps {
  alive(): boolean
  /** Opens the consumer on this connection; `onLost` is called if it dies while it should run. */
  open(entry: ConsumerEntry, onLost: () => void): Promise<RunningConsumer>
  backoff: BackoffOptions
  log: Logger
}

/**
 * The consumers running on one connection. A consumer that dies while its connection lives (the
 * queue was deleted, a link or channel error) is restarted with backoff, on the same connection.
 */
export function createConsumerSet(deps: ConsumerSetDeps): ConsumerSet {
  /** A slot exists while a consumer is starting or running. */
  const slots = new Map<ConsumerEntry, { running?: RunningConsumer }>()
  const restarts = new Map<ConsumerEntry, { timer?: NodeJS.Timeout; attempt: number }>()

  const scheduleRestart = (entry: ConsumerEntry): void => {
    if (!deps.alive() || !entry.active) return
    const restart = restarts.get(entry) ?? { attempt: 0 }
    restarts.set(entry, restart)
    if (restart.timer) return
    restart.attempt++
    restart.timer = setTimeout(
      () => {
        restart.timer = undefined
        start(entry).catch((error) => {
          deps.log.warn(
            { queue: entry.queue, err: describeCause(error) },
            'restarting the consumer failed',
          )
        })
      },
      backoffDelay(restart.attempt, deps.backoff),
    )
  }

  const start = async (entry: ConsumerEntry): Promise<void> => {
    if (!deps.alive()) {
      throw new BrokerError(
        'BROKER_UNAVAILABLE',
        `cannot consume from ${entry.queue}: connection closed`,
      )
    }
    if (!entry.active || slots.has(entry)) return
    const slot: { running?: RunningConsumer } = {}
    slots.set(entry, slot)
    try {
      slot.running = await deps.open(entry, () => {
        if (slots.get(entry) === slot) slots.delete(entry)
        scheduleRestart(entry)
      })
    } catch (error) {
      if (slots.get(entry) === slot) slots.delete(entry)
      scheduleRestart(entry)
      throw error
    }
    if (!entry.active || slots.get(entry) !== slot) {
      await slot.running.stop()
      return
    }
    const restart = restarts.get(entry)
    if (restart && !restart.timer) restarts.delete(entry)
  }

  return {
    start,
    async stop(entry) {
      clearTimeout(restarts.get(entry)?.timer)
      restarts.delete(entry)
      const slot = slots.get(entry)
      slots.delete(entry)
      await slot?.running?.stop()
    },
    async stopAll() {
      for (const restart of restarts.values()) clearTimeout(restart.timer)
      restarts.clear()
      const running = [...slots.values()].flatMap((slot) => (slot.running ? [slot.running] : []))
      slots.clear()
      await Promise.all(running.map((consumer) => consumer.stop()))
      return running
    },
    clear() {
      for (const restart of restarts.values()) clearTimeout(restart.timer)
      restarts.clear()
      slots.clear()
    },
  }
}
