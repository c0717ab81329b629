/**
 * @module @plugboard/plugin-byoc
 * NICE CXone "Bring Your Own Channel": the host acts as the BYOC middleware. Channels routed to
 * a BYOC connector (`route: {connector: <id>}`) are served by CXone agents: customer messages
 * become CXone thread messages, agent replies reach the customer through the channel's own
 * connector, and delivery receipts become CXone message statuses.
 */
import { definePlugin, isPluginError, text } from '@plugboard/sdk'
import { createBackground } from './background.js'
import { type Clock, systemClock } from './clock.js'
import { ByocConfig } from './config.js'
import { createConversations } from './conversations.js'
import { createCustomerLine, SYSTEM_SENDER } from './customer.js'
import { createDeClient } from './de/client.js'
import { createCxoneOAuth } from './de/oauth.js'
import { createHealth } from './health.js'
import { createIdleWatch } from './idle.js'
import { createAdminRoutes } from './middleware/admin-routes.js'
import { createIssuedTokens } from './middleware/bearer-tokens.js'
import { createReplyRoutes } from './middleware/reply-route.js'
import { tokenHandler } from './middleware/token-route.js'
import { CHANNEL_REMOVED_KEY, createSend } from './send.js'

export { type Clock, createFakeClock, type FakeClock, systemClock } from './clock.js'
export { ByocConfig } from './config.js'
export { fromCxoneContent, toCxoneContent } from './content.js'

/** Paths below `/webhooks/{connectorId}`; register the first two (and the base) in CXone. */
export const WEBHOOK_PATHS = {
  /** The Integration Box URL is `/webhooks/{connectorId}/integration/box`. */
  box: '/integration/box',
  token: '/integration/box/1.0/token',
  reply: '/integration/box/1.0/posts/:postId/messages',
  closeThread: '/integration/box/1.0/posts/:postId/close',
  outbound: '/integration/box/2.0/channel/:channelId/outbound',
  action: '/integration/action',
  reconnect: '/integration/reconnect',
  remove: '/integration/remove',
} as const

// A thread the idle countdown ended is closed in CXone too; CXone may be briefly unreachable.
const CLOSE_RETRIES_MS = [1_000, 5_000, 30_000, 120_000]

export interface ByocPluginOptions {
  /** The clock of idle timers and token lifetimes; tests pass `createFakeClock()`. */
  clock?: Clock
}

/** Builds the plugin; the default export is `createByocPlugin()` on the real clock. */
export function createByocPlugin(options: ByocPluginOptions = {}) {
  const clock = options.clock ?? systemClock
  return definePlugin({
    id: 'byoc',
    displayName: 'NICE CXone BYOC',
    description:
      'NICE CXone Bring Your Own Channel middleware: channels routed here are served by CXone agents.',
    channelTypes: ['GENERIC'],
    config: ByocConfig,
    webhooks: [
      {
        method: 'POST',
        path: WEBHOOK_PATHS.token,
        description:
          'Authorization URL of the CXone integration: client credentials in, bearer token out',
      },
      {
        method: 'POST',
        path: WEBHOOK_PATHS.reply,
        description: 'Agent and bot replies to a thread (Integration Box URL + /1.0/posts/…)',
      },
      {
        method: 'POST',
        path: WEBHOOK_PATHS.outbound,
        description:
          'Replies with "Use DFO 3.0 Outbound API for replies" checked; can start threads',
      },
      {
        method: 'POST',
        path: WEBHOOK_PATHS.closeThread,
        description: 'The agent ended the thread (call it from the end-of-contact Studio action)',
      },
      { method: 'GET', path: WEBHOOK_PATHS.action, description: 'Action URL of the integration' },
      { method: 'POST', path: WEBHOOK_PATHS.action, description: 'Action URL, posted' },
      { method: 'GET', path: WEBHOOK_PATHS.reconnect, description: 'Reconnect URL' },
      { method: 'POST', path: WEBHOOK_PATHS.reconnect, description: 'Reconnect URL, posted' },
      { method: 'GET', path: WEBHOOK_PATHS.remove, description: 'Remove URL' },
      { method: 'POST', path: WEBHOOK_PATHS.remove, description: 'Remove URL, posted' },
      { method: 'DELETE', path: WEBHOOK_PATHS.remove, description: 'Remove URL, as DELETE' },
    ],
    setup(ctx) {
      const { config, log } = ctx
      const background = createBackground(clock, log)
      const tokenCounter = ctx.metrics.counter(
        'tokens',
        'Bearer token requests of CXone, and bearer tokens refused (CXone then fetches a new one)',
        ['outcome'],
      )
      const idleCounter = ctx.metrics.counter(
        'idle',
        'Idle customers: prompts sent and threads ended',
        ['event'],
      )
      const tokens = createIssuedTokens({
        onRefused: (check) => tokenCounter.inc({ outcome: `bearer_${check}` }),
        store: ctx.store,
        clock,
        ttlSeconds: config.tokenTtlSeconds,
        clientId: config.middlewareClientId,
        clientSecret: config.middlewareClientSecret,
      })
      const de = createDeClient({
        request: ctx.request,
        tokens: createCxoneOAuth(config, {
          request: ctx.request,
          clock,
          log,
          timeoutMs: config.timeoutMs,
        }),
        apiUrl: config.apiUrl,
        channelId: config.channelId,
        timeoutMs: config.timeoutMs,
        now: () => clock.now(),
      })
      const conversations = createConversations(ctx.store, clock)
      const toCustomer = createCustomerLine(ctx)
      const health = createHealth()

      const closeInCxone = async (threadId: string, attempt = 0): Promise<void> => {
        try {
          await de.closeThread(threadId)
        } catch (error) {
          const delay = CLOSE_RETRIES_MS[attempt]
          if (delay === undefined || (isPluginError(error) && error.kind === 'terminal')) {
            log.warn({ err: error, threadId }, 'could not close the thread in CXone; it ended here')
            return
          }
          background.later(delay, () => closeInCxone(threadId, attempt + 1))
        }
      }

      const idle = createIdleWatch({
        clock,
        promptAfterMs: config.idlePromptSeconds * 1000,
        countdownMs: config.idleCountdownSeconds * 1000,
        conversations,
        log,
        async prompt(conversation) {
          await toCustomer(conversation, text(config.idlePromptText), {
            sender: SYSTEM_SENDER,
            dedupeKey: `idle-prompt:${conversation.threadId}:${conversation.lastAgentAt ?? 0}`,
          })
          idleCounter.inc({ event: 'prompt' })
          log.info({ threadId: conversation.threadId }, 'customer idle: prompt sent')
        },
        async end(conversation) {
          const closed = await conversations.close(conversation.threadId, 'idle')
          if (!closed) return
          idleCounter.inc({ event: 'end' })
          log.info({ threadId: conversation.threadId }, 'customer idle: thread ended')
          if (config.idleEndText.trim() !== '') {
            await toCustomer(conversation, text(config.idleEndText), {
              sender: SYSTEM_SENDER,
              dedupeKey: `idle-end:${conversation.threadId}`,
            })
          }
          background.run(() => closeInCxone(conversation.threadId))
        },
      })

      const replies = createReplyRoutes({
        tokens,
        conversations,
        toCustomer,
        idle,
        store: ctx.store,
        clock,
        log,
        channels: () => ctx.channels(),
        channelId: config.channelId,
        defaultServiceIdentifier: config.defaultServiceIdentifier,
      })
      const admin = createAdminRoutes({
        tokens,
        de,
        store: ctx.store,
        conversations,
        idle,
        health,
        clock,
        log,
        channelId: config.channelId,
        background: background.run,
      })
      ctx.http.post(
        WEBHOOK_PATHS.token,
        tokenHandler({
          tokens,
          clientId: config.middlewareClientId,
          clientSecret: config.middlewareClientSecret,
          log,
          counted: (outcome) => tokenCounter.inc({ outcome }),
        }),
      )
      ctx.http.post(WEBHOOK_PATHS.reply, replies.reply)
      ctx.http.post(WEBHOOK_PATHS.outbound, replies.outbound)
      ctx.http.post(WEBHOOK_PATHS.closeThread, admin.closeThread)
      ctx.http.get(WEBHOOK_PATHS.action, admin.action)
      ctx.http.post(WEBHOOK_PATHS.action, admin.action)
      ctx.http.get(WEBHOOK_PATHS.reconnect, admin.reconnect)
      ctx.http.post(WEBHOOK_PATHS.reconnect, admin.reconnect)
      ctx.http.get(WEBHOOK_PATHS.remove, admin.remove)
      ctx.http.post(WEBHOOK_PATHS.remove, admin.remove)
      ctx.http.delete(WEBHOOK_PATHS.remove, admin.remove)

      // A removal recorded by another replica, or before a restart.
      background.run(async () => {
        if (await ctx.store.get(CHANNEL_REMOVED_KEY)) {
          health.onChannel({
            removed: true,
            detail: `CXone removed channel ${config.channelId}; customer messages wait until it is reconnected`,
          })
        }
      })

      return {
        send: createSend({
          config,
          store: ctx.store,
          conversations,
          de,
          idle,
          toCustomer,
          health,
          clock,
          log,
        }),
        health: health.health,
        async stop() {
          idle.stop()
          await background.stop()
        },
      }
    },
  })
}

export default createByocPlugin()
