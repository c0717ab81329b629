/**
 * @module
 * Background work of a simulator (held answers, receipts, echoes) that its `close()` must end,
 * so a closed simulator leaves no timer or request keeping the test process alive.
 */

export interface Tasks {
  /** Resolves after `ms`, or at once when the tasks are closed. */
  sleep(ms: number): Promise<void>
  /** Remembers a promise until it settles, so `close` can wait for it. */
  track<T>(promise: Promise<T>): Promise<T>
  readonly closed: boolean
  /** Releases every sleep; call before closing sockets, then `drain`. */
  close(): void
  /** Waits for tracked promises to settle. */
  drain(): Promise<void>
}

export function createTasks(): Tasks {
  const sleepers = new Set<() => void>()
  const inFlight = new Set<Promise<unknown>>()
  let closed = false
  return {
    sleep(ms) {
      if (closed) return Promise.resolve()
      return new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer)
          sleepers.delete(wake)
          resolve()
        }
        const timer = setTimeout(wake, ms)
        sleepers.add(wake)
      })
    },
    track(promise) {
      inFlight.add(promise)
      const forget = () => {
        inFlight.delete(promise)
      }
      promise.then(forget, forget)
      return promise
    },
    get closed() {
      return closed
    },
    close() {
      closed = true
      for (const wake of [...sleepers]) wake()
    },
    async drain() {
      await Promise.allSettled([...inFlight])
    },
  }
}
