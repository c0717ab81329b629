/**
 * @module
 * What the simulator knows of each customer of each page: when they last wrote (the messaging
 * window), whether they blocked the page, and what was sent to them (for watermarks).
 */

export interface Conversation {
  pageId: string
  psid: string
  /** Epoch ms of the customer's last message or postback; undefined if they never wrote. */
  lastInboundAt: number | undefined
  blocked: boolean
  /** Messages sent to the customer, oldest first. */
  sent: Array<{ mid: string; timestamp: number }>
}

export interface Conversations {
  get(pageId: string, psid: string): Conversation | undefined
  /** The conversation, created (as one the customer never wrote in) when missing. */
  ensure(pageId: string, psid: string): Conversation
  /** Records a customer message at `at`; an older time never moves the window back. */
  inbound(pageId: string, psid: string, at: number): void
  clear(): void
}

export function createConversations(): Conversations {
  const map = new Map<string, Conversation>()
  const key = (pageId: string, psid: string) => `${pageId}:${psid}`
  const ensure = (pageId: string, psid: string) => {
    let c = map.get(key(pageId, psid))
    if (!c) {
      c = { pageId, psid, lastInboundAt: undefined, blocked: false, sent: [] }
      map.set(key(pageId, psid), c)
    }
    return c
  }
  return {
    get: (pageId, psid) => map.get(key(pageId, psid)),
    ensure,
    inbound(pageId, psid, at) {
      const c = ensure(pageId, psid)
      c.lastInboundAt = Math.max(c.lastInboundAt ?? 0, at)
    },
    clear: () => map.clear(),
  }
}
