/**
 * @module
 * Thread ↔ customer mapping, kept in the connector's store so every replica (and a restarted
 * host) finds it. A conversation is one customer on one routed channel; it has one current
 * CXone thread, replaced by a new one once that thread has ended.
 */
import { randomUUID } from 'node:crypto'
import type { KeyValueStore } from '@plugboard/sdk'
import type { Clock } from './clock.js'

export interface ConversationRef {
  /** The routed channel, e.g. an SMS number. */
  serviceIdentifier: string
  /** The customer's address on that channel. */
  customerId: string
}

export type ClosedBy = 'agent' | 'idle' | 'customer'

export interface Conversation extends ConversationRef {
  /** The current thread's idOnExternalPlatform. */
  threadId: string
  state: 'open' | 'closed'
  closedBy?: ClosedBy
  closedAt?: number
  lastCustomerAt?: number
  lastAgentAt?: number
}

/** Which conversation a thread belongs to; kept after the conversation moved to a new thread. */
export interface ThreadRecord extends ConversationRef {
  threadId: string
  createdAt: number
}

// Long enough for a customer to come back to the same thread; refreshed on every change.
const RETENTION_MS = 30 * 24 * 3600_000

export interface Conversations {
  get(ref: ConversationRef): Promise<Conversation | undefined>
  thread(threadId: string): Promise<ThreadRecord | undefined>
  /** Starts a conversation on a new thread (or a given one, when CXone named it). */
  open(ref: ConversationRef, threadId?: string): Promise<Conversation>
  save(conversation: Conversation): Promise<void>
  /** Ends the thread; returns the conversation when it was its current, open thread. */
  close(threadId: string, by: ClosedBy): Promise<Conversation | undefined>
}

export function conversationKey(ref: ConversationRef): string {
  return `${ref.serviceIdentifier}\u0000${ref.customerId}`
}

export function createConversations(store: KeyValueStore, clock: Clock): Conversations {
  const conversationKeyOf = (ref: ConversationRef) => `conversation:${conversationKey(ref)}`
  const threadKey = (threadId: string) => `thread:${threadId}`
  const save = (conversation: Conversation) =>
    store.set(conversationKeyOf(conversation), conversation, { ttlMs: RETENTION_MS })

  const conversations: Conversations = {
    get: (ref) => store.get<Conversation>(conversationKeyOf(ref)),
    thread: (threadId) => store.get<ThreadRecord>(threadKey(threadId)),
    async open(ref, threadId = randomUUID()) {
      const thread: ThreadRecord = {
        serviceIdentifier: ref.serviceIdentifier,
        customerId: ref.customerId,
        threadId,
        createdAt: clock.now(),
      }
      const conversation: Conversation = {
        serviceIdentifier: ref.serviceIdentifier,
        customerId: ref.customerId,
        threadId,
        state: 'open',
      }
      // The thread first: a reply to it must find its customer even if the second write is lost.
      await store.set(threadKey(threadId), thread, { ttlMs: RETENTION_MS })
      await save(conversation)
      return conversation
    },
    save,
    async close(threadId, by) {
      const thread = await conversations.thread(threadId)
      if (!thread) return undefined
      const conversation = await conversations.get(thread)
      if (!conversation || conversation.threadId !== threadId || conversation.state === 'closed')
        return undefined
      const closed: Conversation = {
        ...conversation,
        state: 'closed',
        closedBy: by,
        closedAt: clock.now(),
      }
      await save(closed)
      return closed
    },
  }
  return conversations
}
