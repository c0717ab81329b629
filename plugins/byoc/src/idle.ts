/**
 * @module
 * The idle customer: after an agent message the customer has `promptAfterMs` to write; then they
 * get the prompt ("are you still there?") and `countdownMs` more; then the thread ends. A
 * customer message at any point cancels it; a new agent message starts it again.
 *
 * Timers live in memory on the replica that took the agent message. The conversation record in
 * the store has the last customer activity, and each timer checks it before acting, so a
 * customer message handled by another replica still cancels the prompt. After a restart a
 * conversation's clock starts again with the next agent message.
 */
import type { Logger } from '@plugboard/sdk'
import type { Clock } from './clock.js'
import {
  type Conversation,
  type ConversationRef,
  type Conversations,
  conversationKey,
} from './conversations.js'

export interface IdleOptions {
  clock: Clock
  /** 0 turns the idle flow off. */
  promptAfterMs: number
  countdownMs: number
  conversations: Conversations
  prompt(conversation: Conversation): Promise<void>
  end(conversation: Conversation): Promise<void>
  log: Logger
}

export interface IdleWatch {
  /** An agent message went to the customer: (re)start the idle clock of its thread. */
  agentSpoke(conversation: Conversation): void
  /** The customer wrote: stop the clock (and a running countdown). */
  customerSpoke(ref: ConversationRef): void
  /** The thread ended some other way. */
  forget(ref: ConversationRef): void
  /** Conversations with a running clock. */
  readonly watching: number
  stop(): void
}

interface Watch {
  threadId: string
  /** When the current stage started; customer activity after it cancels. */
  since: number
  cancel(): void
}

export function createIdleWatch(options: IdleOptions): IdleWatch {
  const { clock, log } = options
  const watches = new Map<string, Watch>()
  let stopped = false

  const clear = (key: string) => {
    watches.get(key)?.cancel()
    watches.delete(key)
  }

  /** The conversation still on this thread, with no customer activity since the stage began. */
  async function stillIdle(key: string, watch: Watch): Promise<Conversation | undefined> {
    if (stopped || watches.get(key) !== watch) return undefined
    const ref = conversationRef(key)
    const conversation = await options.conversations.get(ref)
    if (watches.get(key) !== watch) return undefined
    if (
      conversation?.state !== 'open' ||
      conversation.threadId !== watch.threadId ||
      (conversation.lastCustomerAt ?? 0) > watch.since
    ) {
      watches.delete(key)
      return undefined
    }
    return conversation
  }

  function countdown(key: string, threadId: string) {
    const watch: Watch = { threadId, since: clock.now(), cancel: () => undefined }
    watch.cancel = clock.after(options.countdownMs, async () => {
      const conversation = await stillIdle(key, watch)
      if (!conversation) return
      watches.delete(key)
      try {
        await options.end(conversation)
      } catch (error) {
        log.warn({ err: error, threadId }, 'could not end the idle thread')
      }
    })
    watches.set(key, watch)
  }

  return {
    agentSpoke(conversation) {
      if (stopped || options.promptAfterMs <= 0 || conversation.state !== 'open') return
      const key = conversationKey(conversation)
      clear(key)
      const watch: Watch = {
        threadId: conversation.threadId,
        since: clock.now(),
        cancel: () => undefined,
      }
      watch.cancel = clock.after(options.promptAfterMs, async () => {
        const current = await stillIdle(key, watch)
        if (!current) return
        try {
          await options.prompt(current)
        } catch (error) {
          // Without the prompt the customer was never asked; ending the thread would be unfair.
          log.warn({ err: error, threadId: current.threadId }, 'could not send the idle prompt')
          watches.delete(key)
          return
        }
        if (watches.get(key) === watch) countdown(key, current.threadId)
      })
      watches.set(key, watch)
    },
    customerSpoke(ref) {
      clear(conversationKey(ref))
    },
    forget(ref) {
      clear(conversationKey(ref))
    },
    get watching() {
      return watches.size
    },
    stop() {
      stopped = true
      for (const key of [...watches.keys()]) clear(key)
    },
  }
}

function conversationRef(key: string): ConversationRef {
  const at = key.indexOf('\u0000')
  return { serviceIdentifier: key.slice(0, at), customerId: key.slice(at + 1) }
}
