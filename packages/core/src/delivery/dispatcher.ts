import { type CimMessage, isPluginError, type Logger } from '@plugboard/sdk'
import type { ChannelTable } from '../connectors/channels.js'
import type { ConnectorManager } from '../connectors/manager.js'
import { describeError } from '../errors.js'
import type { Metrics } from '../metrics.js'
import type { Job, PipelineHandlers } from '../pipeline/types.js'
import type { Receipts } from './receipts.js'
import { inboundTarget } from './routing.js'

/** Where inbound messages go by default: the contact center. */
export interface Center {
  deliver(message: CimMessage): Promise<void>
}

export interface DispatcherDeps {
  manager: ConnectorManager
  receipts: Receipts
  center: Center
  channels: ChannelTable
  metrics: Metrics
  log: Logger
}

/** What the pipeline does with a job: inbound to its route, outbound through its connector. */
export function createDispatcher(deps: DispatcherDeps): PipelineHandlers {
  const { manager, receipts, center, channels, metrics, log } = deps

  /** Out to the customer through `connectorId`, once: sent markers and receipts as for CCM's messages. */
  async function sendOut(connectorId: string, job: Job) {
    // A redelivered message that already reached the provider must not be sent twice.
    if (await receipts.wasSent(job.id)) {
      log.info({ connector: connectorId, messageId: job.id }, 'already sent; not sending again')
      return
    }
    const result = await manager.send(connectorId, job.message, {
      attempt: job.attempts + 1,
      idempotencyKey: job.id,
    })
    if (result.ignored) {
      log.debug(
        {
          connector: connectorId,
          messageId: job.id,
          type: job.message.body.type,
          reason: result.ignored,
        },
        'message not sent',
      )
      await receipts.recordSent(connectorId, job.message, undefined)
      return
    }
    await receipts.recordSent(
      connectorId,
      job.message,
      result.providerMessageId,
      result.status ?? 'sent',
    )
  }

  return {
    async deliver(job: Job) {
      if (job.direction === 'outbound') {
        await sendOut(job.connectorId, job)
        return
      }
      const target = inboundTarget(channels, job.connectorId, job.message)
      if (target.to === 'center') {
        await center.deliver(job.message)
        return
      }
      if (target.to === 'customer') {
        await sendOut(target.connectorId, job)
        return
      }
      // The channel is served by another connector: it takes customer messages and receipts.
      const result = await manager.send(target.connectorId, job.message, {
        attempt: job.attempts + 1,
        idempotencyKey: job.id,
      })
      if (result.ignored) {
        log.debug(
          { connector: target.connectorId, messageId: job.id, reason: result.ignored },
          'routed message not taken by the serving connector',
        )
      }
    },

    onDelivered(job) {
      metrics.messages.inc({
        connector: job.connectorId,
        direction: job.direction,
        outcome: 'delivered',
      })
      metrics.latency.observe({ direction: job.direction }, (Date.now() - job.createdAt) / 1000)
    },

    onRetry(job, error, delayMs) {
      const kind = isPluginError(error) ? error.kind : 'retryable'
      metrics.retries.inc({ connector: job.connectorId, direction: job.direction, kind })
      log.warn(
        {
          connector: job.connectorId,
          direction: job.direction,
          messageId: job.id,
          attempt: job.attempts,
          retryInMs: delayMs,
          reason: describeError(error),
        },
        'delivery failed; will retry',
      )
    },

    async onDead(job, reason, error) {
      metrics.deadLetters.inc({ connector: job.connectorId, direction: job.direction })
      metrics.messages.inc({
        connector: job.connectorId,
        direction: job.direction,
        outcome: 'failed',
      })
      log.error(
        {
          connector: job.connectorId,
          direction: job.direction,
          messageId: job.id,
          attempts: job.attempts,
          reason,
        },
        'message dead-lettered',
      )
      if (job.direction === 'outbound') {
        const code = isPluginError(error)
          ? (error.providerCode ?? String(error.status ?? 500))
          : '500'
        await receipts.failed(job.connectorId, job.message, code)
      }
    },
  }
}
