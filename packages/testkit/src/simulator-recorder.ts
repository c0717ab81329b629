/**
 * @module
 * What a simulator received, in arrival order, with a way to wait for it without sleeping.
 */

export interface WaitForOptions {
  /** How long to wait before failing; default 5000 ms. */
  timeoutMs?: number
  /** How many matching items to wait for; default 1. */
  count?: number
}

export interface Recorder<T> {
  readonly items: readonly T[]
  push(item: T): void
  /** Resolves with every matching item once at least `count` match; rejects on timeout. */
  waitFor(predicate: (item: T) => boolean, options?: WaitForOptions): Promise<T[]>
  clear(): void
  /** Calls `listener` with each item pushed from now on. */
  on(event: 'message', listener: (item: T) => void): void
  off(event: 'message', listener: (item: T) => void): void
  /** Rejects every pending `waitFor`, e.g. when the simulator closes. */
  abort(reason: string): void
}

interface Waiter<T> {
  predicate: (item: T) => boolean
  count: number
  resolve(items: T[]): void
  reject(error: Error): void
}

/** @param what names the simulator and its items in timeout errors, e.g. `CCM simulator messages`. */
export function createRecorder<T>(what: string, describe: (item: T) => string): Recorder<T> {
  const items: T[] = []
  const waiters = new Set<Waiter<T>>()
  const listeners = new Set<(item: T) => void>()

  const settle = (waiter: Waiter<T>): void => {
    const matching = items.filter(waiter.predicate)
    if (matching.length < waiter.count) return
    waiters.delete(waiter)
    waiter.resolve(matching)
  }

  return {
    items,
    push(item) {
      items.push(item)
      for (const waiter of [...waiters]) settle(waiter)
      for (const listener of [...listeners]) {
        // A failing listener must not turn an accepted request into an error answer.
        try {
          listener(item)
        } catch (error) {
          process.emitWarning(`${what}: a 'message' listener threw: ${String(error)}`)
        }
      }
    },
    waitFor(predicate, options = {}) {
      const timeoutMs = options.timeoutMs ?? 5000
      const count = options.count ?? 1
      return new Promise<T[]>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter)
          const found = items.filter(predicate).length
          const list =
            items.length === 0
              ? ' (none)'
              : `:\n${items.map((i) => `  - ${describe(i)}`).join('\n')}`
          reject(
            new Error(
              `timed out after ${timeoutMs} ms waiting for ${count} matching ${what} (${found} matched); received ${items.length}${list}`,
            ),
          )
        }, timeoutMs)
        const waiter: Waiter<T> = {
          predicate,
          count,
          resolve: (matched) => {
            clearTimeout(timer)
            resolve(matched)
          },
          reject: (error) => {
            clearTimeout(timer)
            reject(error)
          },
        }
        waiters.add(waiter)
        settle(waiter)
      })
    },
    clear() {
      items.length = 0
    },
    on(_event, listener) {
      listeners.add(listener)
    },
    off(_event, listener) {
      listeners.delete(listener)
    },
    abort(reason) {
      for (const waiter of waiters) waiter.reject(new Error(`${what}: ${reason}`))
      waiters.clear()
    },
  }
}
