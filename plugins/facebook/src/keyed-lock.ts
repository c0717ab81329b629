/**
 * Runs functions one at a time per key, so a read-modify-write of one store entry (a
 * conversation's sent messages, its window) is not interleaved with another in this process.
 */
export function createKeyedLock(): <T>(key: string, fn: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>()
  return async (key, fn) => {
    const previous = tails.get(key) ?? Promise.resolve()
    const run = previous.then(fn, fn)
    const tail = run.catch(() => undefined)
    tails.set(key, tail)
    try {
      return await run
    } finally {
      // The last one out removes the key, so idle conversations cost no memory.
      if (tails.get(key) === tail) tails.delete(key)
    }
  }
}
