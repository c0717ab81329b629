import type { StateStore, StatusChange } from '@plugboard/core'
import type { Logger } from '@plugboard/sdk'
import type { Broker } from '../broker.js'
import type { CrmClient } from './crm.js'
import { sendSmsOrigin } from './origin.js'
import { type DeliveryReport, toReport } from './report.js'

export interface DeliveryReportsOptions {
  state: StateStore
  /** The SMS connector SendSms messages go out through. */
  connectorId: string
  /** PUBLISHER_ENABLE: publish each report to this queue (AMQ_DELIVERY_QUEUE). */
  publish?: { broker: Broker; queue: string }
  /** CRM_API_URL unless IS_CRM_UPDATE_DISABLED. */
  crm?: CrmClient
  log: Logger
  /** Publish tries per report before it is given up (logged). Default 10. */
  maxPublishAttempts?: number
}

export interface DeliveryReports {
  /** The receipts hook: reports SendSms status changes, and keeps them from CCM. */
  onStatus(change: StatusChange): Promise<boolean | undefined>
  /** Resolves when no report publish is waiting for a retry. */
  idle(): Promise<void>
  close(): void
}

/**
 * Turns status changes of AMQ SendSms messages into delivery reports: one per change, published
 * to the delivery queue and pushed to the CRM. Messages CCM sent are left to the usual
 * DELIVERYNOTIFICATION to CCM.
 */
export function createDeliveryReports(options: DeliveryReportsOptions): DeliveryReports {
  const { state, publish, crm } = options
  const log = options.log.child({ component: 'delivery-reports' })
  const maxAttempts = options.maxPublishAttempts ?? 10
  const timers = new Set<NodeJS.Timeout>()
  let declared: Promise<void> | undefined
  let retrying = 0
  const waiters: (() => void)[] = []
  let closed = false

  const done = () => {
    retrying--
    if (retrying === 0) for (const resolve of waiters.splice(0)) resolve()
  }

  async function send(report: DeliveryReport): Promise<void> {
    if (!publish) return
    declared ??= publish.broker.assertQueue({ name: publish.queue }).catch((error: unknown) => {
      declared = undefined
      throw error
    })
    await declared
    await publish.broker.publish(publish.queue, JSON.stringify(report), {
      // Stable per status change: a consumer can drop the copy a retry may produce.
      messageId: `${report.messageId}:${report.status}`,
      contentType: 'application/json',
      headers: { type: 'SmsDeliveryReport' },
    })
  }

  function retry(report: DeliveryReport, attempt: number, error: unknown) {
    const context = { messageId: report.messageId, status: report.status, attempt }
    if (closed || attempt >= maxAttempts) {
      log.error({ ...context, err: error }, 'delivery report given up')
      done()
      return
    }
    const delay = Math.min(60_000, 1_000 * 2 ** (attempt - 1))
    log.warn(
      { ...context, err: error, retryInMs: delay },
      'delivery report not published; will retry',
    )
    const timer = setTimeout(() => {
      timers.delete(timer)
      send(report).then(done, (e: unknown) => retry(report, attempt + 1, e))
    }, delay)
    timers.add(timer)
  }

  return {
    async onStatus(change) {
      if (change.connectorId !== options.connectorId) return undefined
      let origin: Awaited<ReturnType<typeof sendSmsOrigin>>
      try {
        origin = await sendSmsOrigin(state, change.messageId)
      } catch (error) {
        log.warn(
          { err: error, messageId: change.messageId },
          'cannot tell whether a status change is a SendSms',
        )
        return undefined
      }
      if (!origin) return undefined
      const report = toReport(change, origin)
      crm?.push(report)
      // The first try is awaited, so a report is normally durable before the receipt that caused
      // it is answered; later tries run in the background rather than fail the receipt.
      await send(report).catch((error: unknown) => {
        retrying++
        retry(report, 1, error)
      })
      return false
    },
    idle() {
      return retrying === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve))
    },
    close() {
      closed = true
      for (const timer of timers) clearTimeout(timer)
      for (let i = timers.size; i > 0; i--) done()
      timers.clear()
    },
  }
}
