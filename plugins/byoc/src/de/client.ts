import type { HttpClient } from '@plugboard/sdk'
import { cxoneError } from './errors.js'
import type { TokenSource } from './oauth.js'

/** CXone's messageContent: `{type: 'TEXT', payload: {text}}` for everything this plugin sends. */
export interface MessageContent {
  type: 'TEXT'
  payload: { text: string }
}

export interface DeAttachment {
  friendlyName: string
  url: string
}

/** The DE `NewMessage` of a customer message (the required fields and the ones used here). */
export interface NewMessage {
  idOnExternalPlatform: string
  direction: 'inbound'
  createdAtWithMilliseconds: string
  thread: { idOnExternalPlatform: string; threadName?: string }
  messageContent: MessageContent
  authorEndUserIdentity: {
    idOnExternalPlatform: string
    firstName?: string
    lastName?: string
    nickname?: string
  }
  attachments?: DeAttachment[]
}

/** CXone's statuses of a message the middleware delivered to the customer. */
export type DeMessageStatus = 'delivered' | 'seen' | 'failed'

export interface DeClientOptions {
  request: HttpClient
  tokens: TokenSource
  apiUrl: string
  channelId: string
  timeoutMs: number
  /** Time for `updatedAt` of status changes. */
  now(): number
}

export interface DeClient {
  /** Creates a customer message (a new thread or an existing one). `duplicate`: CXone already had it. */
  createMessage(message: NewMessage): Promise<{ duplicate: boolean }>
  setStatus(messageId: string, status: DeMessageStatus, reason?: string): Promise<void>
  senderAction(threadId: string, action: 'isTypingOn' | 'isTypingOff'): Promise<void>
  /** No more messages may be added to the thread. */
  closeThread(threadId: string): Promise<void>
  /** Exchanges the one-time token CXone puts on the action URL for the admin's identity. */
  verifyOneTimeToken(input: {
    brandId: number
    userId: number
    token: string
  }): Promise<{ brandId?: unknown }>
}

/**
 * The Digital Engagement (DFO 3.0) calls of the middleware, through the host's HTTP client
 * (forward proxy, timeouts). A 401 is answered once with a fresh token: CXone revokes tokens
 * before their stated expiry, and a message should not wait a retry for that.
 */
export function createDeClient(options: DeClientOptions): DeClient {
  const base = options.apiUrl.replace(/\/+$/, '')
  const channel = `${base}/dfo/3.0/channels/${encodeURIComponent(options.channelId)}`

  async function call(
    operation: string,
    method: string,
    url: string,
    body: unknown,
    accept: (status: number) => boolean = (s) => s >= 200 && s < 300,
  ) {
    const send = async (token: string) =>
      options.request(url, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify(body),
        timeoutMs: options.timeoutMs,
      })
    let token = await options.tokens.token()
    let res = await send(token)
    if (res.status === 401) {
      options.tokens.invalidate(token)
      token = await options.tokens.token()
      res = await send(token)
    }
    if (!accept(res.status)) throw await cxoneError(res, operation)
    return res
  }

  return {
    async createMessage(message) {
      const res = await call(
        'CXone create message',
        'POST',
        `${channel}/messages`,
        message,
        (s) => (s >= 200 && s < 300) || s === 409,
      )
      // The id is the CIM id, so a retry after a lost answer finds the message already there.
      return { duplicate: res.status === 409 }
    },
    async setStatus(messageId, status, reason) {
      await call(
        'CXone message status',
        'PUT',
        `${channel}/messages/${encodeURIComponent(messageId)}/status`,
        {
          status,
          updatedAt: new Date(options.now()).toISOString(),
          ...(reason ? { reason } : {}),
        },
      )
    },
    async senderAction(threadId, action) {
      await call(
        'CXone sender action',
        'POST',
        `${channel}/threads/${encodeURIComponent(threadId)}/sender-actions`,
        { action },
      )
    },
    async closeThread(threadId) {
      await call(
        'CXone close thread',
        'PUT',
        `${channel}/threads/${encodeURIComponent(threadId)}`,
        {
          canAddMoreMessages: false,
        },
      )
    },
    async verifyOneTimeToken(input) {
      const res = await call(
        'CXone one-time token verification',
        'POST',
        `${base}/dfo/3.0/one-time-token/verification`,
        { ...input, purpose: 'channel-integration' },
      )
      try {
        return JSON.parse(await res.text()) as { brandId?: unknown }
      } catch {
        return {}
      }
    },
  }
}
