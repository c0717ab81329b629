/**
 * @module
 * Messenger's messaging window: a page may answer freely within 24 hours of the customer's last
 * message; after that only tagged messages go out, and the HUMAN_AGENT tag (for replies written
 * by a person) stretches the window to 7 days. The time of the last message is kept per page and
 * customer in the connector's store.
 */
import type { KeyValueStore } from '@plugboard/sdk'

export const HOUR = 3600_000
export const RESPONSE_WINDOW_MS = 24 * HOUR
export const HUMAN_AGENT_WINDOW_MS = 7 * 24 * HOUR
// Kept a day past the longest window, so "no record" means "no message for over a week".
const RETENTION_MS = HUMAN_AGENT_WINDOW_MS + 24 * HOUR

export interface WindowStore {
  /** Records a customer message at `at` (Meta's time); an older time never moves it back. */
  touch(pageId: string, psid: string, at: number): Promise<void>
  /** Epoch ms of the customer's last message, or undefined when none is known. */
  lastMessage(pageId: string, psid: string): Promise<number | undefined>
}

export function createWindowStore(
  store: KeyValueStore,
  lock: <T>(key: string, fn: () => Promise<T>) => Promise<T>,
): WindowStore {
  const key = (pageId: string, psid: string) => `window:${pageId}:${psid}`
  return {
    touch(pageId, psid, at) {
      const k = key(pageId, psid)
      return lock(k, async () => {
        const known = await store.get<number>(k)
        if (typeof known === 'number' && known >= at) return
        await store.set(k, at, { ttlMs: RETENTION_MS })
      })
    },
    async lastMessage(pageId, psid) {
      const known = await store.get<number>(key(pageId, psid))
      return typeof known === 'number' ? known : undefined
    },
  }
}

/** How a message may go out: `messaging_type` and tag, or why it may not. */
export type MessagingPolicy =
  | { kind: 'response'; known: boolean }
  | { kind: 'human-agent' }
  | { kind: 'closed'; reason: string }

export interface PolicyInput {
  lastMessage: number | undefined
  now: number
  /** FACEBOOK-HUMAN-AGENT-TAG is on. */
  humanAgentTag: boolean
  /** The message was written by a person (sender type AGENT). */
  byAgent: boolean
}

/**
 * The policy for one message. Without a record the window is unknown (the customer wrote before
 * this connector kept records, or its store was reset): the message goes out as RESPONSE and
 * Meta decides.
 */
export function messagingPolicy(input: PolicyInput): MessagingPolicy {
  if (input.lastMessage === undefined) return { kind: 'response', known: false }
  const age = input.now - input.lastMessage
  if (age < RESPONSE_WINDOW_MS) return { kind: 'response', known: true }
  const hours = Math.floor(age / HOUR)
  if (input.humanAgentTag && input.byAgent && age < HUMAN_AGENT_WINDOW_MS) {
    return { kind: 'human-agent' }
  }
  if (age >= HUMAN_AGENT_WINDOW_MS) {
    return {
      kind: 'closed',
      reason: `the customer's last message was ${hours} hours ago: Messenger allows replies within 24 hours, and human agents within 7 days; the customer must write again first`,
    }
  }
  if (!input.humanAgentTag) {
    return {
      kind: 'closed',
      reason: `the customer's last message was ${hours} hours ago, outside Messenger's 24-hour window. To let agents answer for up to 7 days, get Meta's Human Agent permission for the app and set FACEBOOK-HUMAN-AGENT-TAG=true`,
    }
  }
  return {
    kind: 'closed',
    reason: `the customer's last message was ${hours} hours ago, outside Messenger's 24-hour window, and the HUMAN_AGENT tag is only for messages written by a person (this one's sender is not an AGENT)`,
  }
}
