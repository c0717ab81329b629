import type { Logger } from '@plugboard/sdk'
import type { Clock } from './clock.js'

/**
 * Work that runs after an answer was sent (one-time token checks, closing a thread in CXone),
 * so no request waits for CXone. `stop` cancels what has not started and waits for the rest.
 */
export function createBackground(clock: Clock, log: Logger) {
  const running = new Set<Promise<void>>()
  const timers = new Set<() => void>()
  let stopped = false

  const run = (work: () => Promise<void>): void => {
    if (stopped) return
    const task = work().catch((error: unknown) =>
      log.warn({ err: error }, 'background work failed'),
    )
    running.add(task)
    void task.finally(() => running.delete(task))
  }

  return {
    run,
    /** Runs `work` after `ms` on the plugin's clock. */
    later(ms: number, work: () => Promise<void>): void {
      if (stopped) return
      const cancel = clock.after(ms, () => {
        timers.delete(cancel)
        run(work)
      })
      timers.add(cancel)
    },
    async stop(): Promise<void> {
      stopped = true
      for (const cancel of timers) cancel()
      timers.clear()
      await Promise.allSettled([...running])
    },
  }
}

export type Background = ReturnType<typeof createBackground>
