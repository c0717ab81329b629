/**
 * @module
 * What the host hands this connector: the messages of customers of the channels routed to it,
 * and the delivery receipts of the agent messages it passed on. Customer messages become CXone
 * thread messages; receipts become CXone message statuses; typing becomes a sender action.
 */
import {
  type CimMessage,
  type ConnectorInstance,
  type DeliveryNotificationBody,
  isBodyType,
  isPluginError,
  type KeyValueStore,
  type Logger,
  PluginError,
  type SendResult,
  text,
} from '@plugboard/sdk'
import type { Clock } from './clock.js'
import type { ByocConfig } from './config.js'
import { toCxoneContent } from './content.js'
import type { Conversation, ConversationRef, Conversations } from './conversations.js'
import { type CustomerLine, SYSTEM_SENDER } from './customer.js'
import type { DeClient, DeMessageStatus } from './de/client.js'
import type { Health } from './health.js'
import type { IdleWatch } from './idle.js'

/** What the plugin keeps about an agent message it passed on, to report its receipts. */
export interface AgentMessageRecord {
  /** The message's idOnExternalPlatform in CXone. */
  cxoneMessageId: string
  threadId: string
}

export const agentMessageKey = (cimId: string) => `agent-message:${cimId}`
export const CHANNEL_REMOVED_KEY = 'channel:removed'

export interface SendDeps {
  config: ByocConfig
  store: KeyValueStore
  conversations: Conversations
  de: DeClient
  idle: IdleWatch
  toCustomer: CustomerLine
  health: Health
  clock: Clock
  log: Logger
}

const RECEIPT_STATUS: Record<string, DeMessageStatus | undefined> = {
  DELIVERED: 'delivered',
  READ: 'seen',
  FAILED: 'failed',
}

export function createSend(deps: SendDeps): ConnectorInstance['send'] {
  const { config, conversations, de, clock } = deps

  /** DE calls, with the connector's health following CXone's answers. */
  async function watched<T>(call: () => Promise<T>): Promise<T> {
    try {
      const result = await call()
      deps.health.onAuth({ ok: true })
      return result
    } catch (error) {
      if (isPluginError(error) && error.kind === 'auth')
        deps.health.onAuth({ ok: false, detail: error.message })
      throw error
    }
  }

  async function receipt(body: DeliveryNotificationBody): Promise<SendResult> {
    const record = await deps.store.get<AgentMessageRecord>(agentMessageKey(body.messageId))
    if (!record) return { ignored: 'a receipt for a message that did not come from CXone' }
    const status = RECEIPT_STATUS[body.status]
    if (!status) return { ignored: `receipt status ${body.status} has no CXone equivalent` }
    const reason =
      status === 'failed' ? `delivery failed (code ${body.reasonCode ?? 'unknown'})` : undefined
    await watched(() => de.setStatus(record.cxoneMessageId, status, reason))
    return {}
  }

  async function typing(ref: ConversationRef, on: boolean): Promise<SendResult> {
    const conversation = await conversations.get(ref)
    if (conversation?.state !== 'open') return { ignored: 'typing outside an open thread' }
    await watched(() => de.senderAction(conversation.threadId, on ? 'isTypingOn' : 'isTypingOff'))
    return {}
  }

  /** The thread a customer message goes to, or why it goes nowhere. */
  async function threadFor(
    ref: ConversationRef,
    message: CimMessage,
  ): Promise<Conversation | { ignored: string }> {
    const conversation = await conversations.get(ref)
    if (conversation?.state === 'open') return conversation
    if (conversation?.closedBy === 'agent' && config.afterAgentEnd === 'notice') {
      const age = clock.now() - (conversation.closedAt ?? 0)
      if (config.closedNoticeSeconds === 0 || age < config.closedNoticeSeconds * 1000) {
        await deps.toCustomer(ref, text(config.closedNoticeText), {
          sender: SYSTEM_SENDER,
          // A retried delivery of the same customer message must not send a second notice.
          dedupeKey: `closed-notice:${message.id}`,
        })
        return { ignored: 'the agent ended this thread; the customer got the closed notice' }
      }
    }
    return conversations.open(ref)
  }

  return async (message) => {
    const { body } = message
    const ref: ConversationRef = {
      serviceIdentifier: message.header.channelData.serviceIdentifier,
      customerId: message.header.channelData.channelCustomerIdentifier,
    }
    if (isBodyType(body, 'DELIVERYNOTIFICATION')) return receipt(body)
    if (isBodyType(body, 'NOTIFICATION')) {
      if (body.notificationType === 'TYPING_STARTED') return typing(ref, true)
      if (body.notificationType === 'TYPING_STOPPED') return typing(ref, false)
      return { ignored: `${body.notificationType} notifications are not passed to CXone` }
    }
    const removed = await deps.store.get<{ at: number }>(CHANNEL_REMOVED_KEY)
    if (removed) {
      // Like refused credentials: fixed by an admin (Reconnect in CXone), so the message waits.
      throw PluginError.auth(
        'CXONE_CHANNEL_REMOVED',
        `CXone removed channel ${config.channelId}; reconnect it in CXone (the integration's Reconnect) and the waiting messages follow`,
      )
    }
    if (message.header.intent === 'END_CHAT') {
      deps.idle.forget(ref)
      const closed = await endByCustomer(ref)
      return closed ? {} : { ignored: 'no open thread to end' }
    }
    const content = toCxoneContent(body)
    if (!content) return { ignored: `${body.type} is not customer content CXone can show` }
    // Before anything that can fail: the customer is not idle, whatever CXone says.
    deps.idle.customerSpoke(ref)
    const target = await threadFor(ref, message)
    if ('ignored' in target) return target
    await conversations.save({ ...target, lastCustomerAt: clock.now() })
    const { channelData } = message.header
    const timestamp = Number(message.header.timestamp)
    const created = await watched(() =>
      de.createMessage({
        // The CIM id: a retry after a lost answer is recognised by CXone instead of doubled.
        idOnExternalPlatform: message.id,
        direction: 'inbound',
        createdAtWithMilliseconds: new Date(
          Number.isFinite(timestamp) && timestamp > 0 ? timestamp : clock.now(),
        ).toISOString(),
        thread: {
          idOnExternalPlatform: target.threadId,
          threadName: displayName(channelData) ?? ref.customerId,
        },
        messageContent: { type: 'TEXT', payload: { text: content.text } },
        authorEndUserIdentity: {
          idOnExternalPlatform: ref.customerId,
          ...(channelData.customerFirstName ? { firstName: channelData.customerFirstName } : {}),
          ...(channelData.customerLastName ? { lastName: channelData.customerLastName } : {}),
        },
        ...(content.attachments.length > 0 ? { attachments: content.attachments } : {}),
      }),
    )
    if (created.duplicate) {
      deps.log.debug({ messageId: message.id }, 'CXone already had this message')
    }
    return { providerMessageId: message.id, status: 'delivered' }
  }

  async function endByCustomer(ref: ConversationRef): Promise<boolean> {
    const conversation = await conversations.get(ref)
    if (conversation?.state !== 'open') return false
    await watched(() => de.closeThread(conversation.threadId))
    await conversations.close(conversation.threadId, 'customer')
    return true
  }
}

function displayName(channelData: CimMessage['header']['channelData']): string | undefined {
  const name = [channelData.customerFirstName, channelData.customerLastName]
    .filter((part) => typeof part === 'string' && part.trim() !== '')
    .join(' ')
  return name === '' ? undefined : name
}
