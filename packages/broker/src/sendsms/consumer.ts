import { describeError, type Pipeline, type StateStore } from '@plugboard/core'
import type { Logger } from '@plugboard/sdk'
import type { Broker, BrokerMessage, Consumer } from '../broker.js'
import { cimIdFor, parseSendSms, type SmsChannel, toCimMessage } from './message.js'
import { rememberSendSms } from './origin.js'

export interface SendSmsConsumerOptions {
  broker: Broker
  pipeline: Pipeline
  /** AMQ_OUTBOUND_QUEUE. */
  queue: string
  /** Where malformed messages go, with the reason; default `<queue>.dlq`. */
  deadLetterQueue?: string
  channel: SmsChannel
  /** Set when delivery reports or CRM updates are on: they need the app id back. */
  state?: StateStore
  prefetch?: number
  log: Logger
  /** Told about each message taken: `accepted`, `duplicate` or `invalid`. */
  onOutcome?: (outcome: 'accepted' | 'duplicate' | 'invalid') => void
}

export interface SendSmsConsumer {
  start(): Promise<void>
  /** Stops taking messages; what is being submitted finishes and is acked. */
  stop(): Promise<void>
}

/**
 * Consumes `SendSms` from the AMQ outbound queue and hands each one to the pipeline as an
 * outbound message for the SMS channel. A message is acked only once the pipeline took it
 * durably; a malformed one is dead-lettered with the reason and the queue goes on.
 */
export function createSendSmsConsumer(options: SendSmsConsumerOptions): SendSmsConsumer {
  const { broker, pipeline, queue, channel } = options
  const log = options.log.child({ component: 'sendsms', queue })
  let consumer: Consumer | undefined

  async function handle(message: BrokerMessage): Promise<void> {
    const parsed = parseSendSms(message.body, message.headers.type ?? message.headers.Type)
    if (!parsed.ok) {
      log.warn({ messageId: message.messageId, reason: parsed.reason }, 'SendSms dead-lettered')
      message.reject(parsed.reason)
      options.onOutcome?.('invalid')
      return
    }
    const { sms } = parsed
    const id = cimIdFor(queue, sms.id, message.messageId)
    try {
      if (options.state) await rememberSendSms(options.state, id, sms)
      const result = await pipeline.submit({
        direction: 'outbound',
        connectorId: channel.connectorId,
        message: toCimMessage(sms, channel, id),
      })
      message.ack()
      options.onOutcome?.(result.status)
    } catch (error) {
      // Not durable on our side: the broker keeps it and delivers it again. The pause keeps an
      // outage of the pipeline from turning into a redelivery loop.
      log.warn({ appId: sms.id, err: describeError(error) }, 'SendSms not taken; giving it back')
      if (consumer) await new Promise((resolve) => setTimeout(resolve, 1_000))
      message.release()
    }
  }

  return {
    async start() {
      await broker.assertQueue({
        name: queue,
        ...(options.deadLetterQueue ? { deadLetterQueue: options.deadLetterQueue } : {}),
      })
      consumer = await broker.consume(queue, handle, {
        ...(options.prefetch ? { prefetch: options.prefetch } : {}),
      })
      log.info({ connector: channel.connectorId }, 'consuming SendSms')
    },
    async stop() {
      const c = consumer
      consumer = undefined
      await c?.cancel()
    },
  }
}
