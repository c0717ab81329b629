import { randomUUID } from 'node:crypto'
import { type CimMessage, conversationKey } from '@plugboard/sdk'

export interface InactivityOptions {
  /** Customer silence after which the chat is ended. */
  timeoutMs: number
  /** Hands the end-of-chat message on (durably, like any inbound message). */
  end(message: CimMessage, connectorId: string): Promise<void>
  onError?(error: unknown, key: string): void
  now?: () => number
  /** How often idle conversations are looked for; default a quarter of the timeout (0.2–30 s). */
  sweepMs?: number
}

export interface InactivityMonitor {
  /** A customer message reached the center: (re)start the conversation's idle clock. */
  touch(message: CimMessage, connectorId: string): void
  /** The center ended the chat itself: stop watching it. */
  forget(message: CimMessage): void
  /** Ends every conversation idle past the timeout; called by the sweep timer. */
  sweep(): Promise<number>
  readonly watching: number
  /** Whether the conversation of this customer on this channel has a running clock. */
  watches(serviceIdentifier: string, customerId: string): boolean
  stop(): void
}

interface Watched {
  lastAt: number
  connectorId: string
  template: CimMessage
}

const ENDING_NOTIFICATIONS = new Set(['CHANNEL_SESSION_ENDED', 'CHANNEL_SESSION_EXPIRED'])

/**
 * CUSTOMER_INACTIVITY_TIMEOUT: when a customer has said nothing for the timeout, the host sends
 * CCM the end-of-chat intent for that conversation, as the customer closing the chat would.
 * Clocks live in memory: after a restart a conversation's clock starts with its next message,
 * and CCM's own channel-session timeout remains the backstop.
 */
export function createInactivityMonitor(options: InactivityOptions): InactivityMonitor {
  const now = options.now ?? Date.now
  const watched = new Map<string, Watched>()
  const sweepMs =
    options.sweepMs ?? Math.min(30_000, Math.max(200, Math.floor(options.timeoutMs / 4)))
  let sweeping = false

  const monitor: InactivityMonitor = {
    touch(message, connectorId) {
      if (!isCustomerMessage(message)) return
      const key = conversationKey(message)
      if (message.header.intent === 'END_CHAT') {
        watched.delete(key)
        return
      }
      watched.set(key, { lastAt: now(), connectorId, template: message })
    },
    forget(message) {
      const body = message.body
      const ending =
        message.header.intent === 'END_CHAT' ||
        (body.type === 'NOTIFICATION' && ENDING_NOTIFICATIONS.has(String(body.notificationType)))
      if (ending) watched.delete(conversationKey(message))
    },
    async sweep() {
      if (sweeping) return 0
      sweeping = true
      let ended = 0
      try {
        const deadline = now() - options.timeoutMs
        for (const [key, entry] of [...watched]) {
          if (entry.lastAt > deadline) continue
          watched.delete(key)
          try {
            await options.end(endOfChat(entry.template), entry.connectorId)
            ended++
          } catch (error) {
            // Keep watching: the next sweep tries again.
            watched.set(key, entry)
            options.onError?.(error, key)
          }
        }
      } finally {
        sweeping = false
      }
      return ended
    },
    get watching() {
      return watched.size
    },
    watches: (serviceIdentifier, customerId) =>
      watched.has(
        conversationKey({
          header: { channelData: { serviceIdentifier, channelCustomerIdentifier: customerId } },
        }),
      ),
    stop() {
      clearInterval(timer)
      watched.clear()
    },
  }
  const timer = setInterval(() => void monitor.sweep(), sweepMs)
  timer.unref()
  return monitor
}

function isCustomerMessage(message: CimMessage): boolean {
  const type = message.header.sender.type
  if (type !== 'CUSTOMER' && type !== 'CONNECTOR') return false
  return !['DELIVERYNOTIFICATION', 'DELETEDNOTIFICATION', 'NOTIFICATION'].includes(
    message.body.type,
  )
}

/** The customer's last message turned into the end-of-chat intent for the same conversation. */
export function endOfChat(template: CimMessage): CimMessage {
  return {
    id: randomUUID(),
    header: {
      ...template.header,
      timestamp: Date.now(),
      intent: 'END_CHAT',
      entities: { reason: 'CUSTOMER_INACTIVITY' },
      providerMessageId: null,
      originalMessageId: null,
    },
    body: { type: 'PLAIN', markdownText: '' },
  }
}
