/**
 * Shared state the pipeline and plugins keep beside messages: de-duplication keys, provider id
 * → CIM id maps, sent markers and delivery statuses. The embedded store is SQLite; a replicated
 * deployment plugs in a networked backend with the same contract.
 */
export interface StateStore {
  get<T = unknown>(ns: string, key: string): Promise<T | undefined>
  set(ns: string, key: string, value: unknown, ttlMs?: number): Promise<void>
  /** Sets only when absent (or expired); true when this call set it. */
  setIfAbsent(ns: string, key: string, value: unknown, ttlMs?: number): Promise<boolean>
  /**
   * Replaces the value only when `update` returns a new one, atomically; returns what is stored
   * afterwards. Used for monotonic statuses.
   */
  update<T>(
    ns: string,
    key: string,
    update: (current: T | undefined) => T | undefined,
    ttlMs?: number,
  ): Promise<T | undefined>
  delete(ns: string, key: string): Promise<void>
  /** Reads and deletes in one atomic step; undefined when absent. */
  take<T = unknown>(ns: string, key: string): Promise<T | undefined>
}
