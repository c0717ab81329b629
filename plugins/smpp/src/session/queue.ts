/** A FIFO with O(1) push and shift, for queues that can grow to many thousand submits. */
export interface Fifo<T> {
  readonly length: number
  push(item: T): void
  shift(): T | undefined
  peek(): T | undefined
  /** Removes every item and returns them in order. */
  drain(): T[]
  [Symbol.iterator](): Iterator<T>
}

export function createFifo<T>(): Fifo<T> {
  let items: (T | undefined)[] = []
  let head = 0
  return {
    get length() {
      return items.length - head
    },
    push(item) {
      items.push(item)
    },
    shift() {
      if (head >= items.length) return undefined
      const item = items[head]
      items[head++] = undefined
      // Compact once the consumed prefix dominates, keeping memory proportional to the backlog.
      if (head > 1024 && head * 2 > items.length) {
        items = items.slice(head)
        head = 0
      }
      return item
    },
    peek() {
      return head < items.length ? items[head] : undefined
    },
    drain() {
      const rest = items.slice(head) as T[]
      items = []
      head = 0
      return rest
    },
    *[Symbol.iterator]() {
      for (let i = head; i < items.length; i++) yield items[i] as T
    },
  }
}
