import { type CimMessage, isPluginError, type Logger } from '@plugboard/sdk'
import type { ChannelTable } from '../connectors/channels.js'
import type { ConnectorManager } from '../connectors/manager.js'
import { describeError } from '../errors.js'
import type { Metrics } from '../metrics.js'
import type { Job, PipelineHandlers } from '../pipeline/types.js'
import type { Receipts } from './receipts.js'

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
  const { manager, receipts, center, metrics, log } = deps

  return {
    async deliver(job: Job) {
      if (job.direction === 'inbound') {
        await center.deliver(job.message)
        return
      }
      // A redelivered message that already reached the provider must not be sent twice.
      if (await receipts.wasSent(job.id)) {
        log.info(
          { connector: job.connectorId, messageId: job.id },
          'already sent; not sending again',
        )
        return
      }
      const result = await manager.send(job.connectorId, job.message, {
        attempt: job.attempts + 1,
        idempotencyKey: job.id,
      })
      if (result.ignored) {
        log.debug(
          {
            connector: job.connectorId,
            messageId: job.id,
            type: job.message.body.type,
            reason: result.ignored,
          },
          'message not sent',
        )
        await receipts.recordSent(job.connectorId, job.message, undefined)
        return
      }
      await receipts.recordSent(
        job.connectorId,
        job.message,
        result.providerMessageId,
        result.status ?? 'sent',
      )
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
