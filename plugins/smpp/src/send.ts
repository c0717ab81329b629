import type { ConnectorInstance, PluginContext } from '@plugboard/sdk'
import { destinationAddress, sourceAddress } from './addresses.js'
import type { SmppConfig } from './config.js'
import { planSms } from './encoding/segment.js'
import { toSmsText } from './outbound.js'
import { toPluginError } from './plugin-errors.js'
import type { ReceiptTracker } from './receipts/tracker.js'
import type { SmppClient } from './session/client.js'
import { buildSubmits, concatRef } from './submits.js'

export interface SendDeps {
  ctx: PluginContext<SmppConfig>
  client: Pick<SmppClient, 'submit'>
  tracker: ReceiptTracker
}

const PROGRESS_TTL_MS = 48 * 3600_000

/**
 * Sends an outbound CIM message as one or more submit_sm. Each part the SMSC accepted is noted in
 * the state store under the message id, so a retry of the message (after a failed part, a
 * restart, or on another replica) submits only the parts still missing, with the same
 * concatenation reference.
 */
export function createSend(deps: SendDeps): ConnectorInstance['send'] {
  const { ctx, client, tracker } = deps
  const config = ctx.config
  const progressKey = (key: string, i: number) => `part:${key}:${i}`

  return async (message, info) => {
    const mapped = toSmsText(message, ctx.env)
    if ('ignored' in mapped) {
      ctx.log.debug({ messageId: message.id, type: message.body.type }, mapped.ignored)
      return { ignored: mapped.ignored }
    }
    const { serviceIdentifier, channelCustomerIdentifier } = message.header.channelData
    let submits: ReturnType<typeof buildSubmits>
    try {
      const plan = planSms(mapped.text, { mode: config.concat, maxParts: config.maxParts })
      submits = buildSubmits({
        plan,
        source: sourceAddress(config, serviceIdentifier),
        destination: destinationAddress(config, channelCustomerIdentifier),
        mode: config.concat,
        ref: concatRef(info.idempotencyKey, config.concat),
        registeredDelivery: config.registeredDelivery,
      })
    } catch (error) {
      throw toPluginError(error, config.throttlePauseMs)
    }

    const done = await Promise.all(
      submits.map((_, i) => ctx.store.get<string>(progressKey(info.idempotencyKey, i))),
    )
    const outcomes = await Promise.allSettled(
      submits.map(async (fields, i) => {
        const known = done[i]
        if (typeof known === 'string') return known
        const result = await client.submit(fields, { timeoutMs: config.sendTimeoutMs })
        if (result.ambiguous) {
          ctx.log.warn(
            { messageId: message.id, part: i + 1, smscId: result.messageId },
            'part submitted again after an unanswered attempt; the SMSC may deliver it twice',
          )
        }
        await ctx.store.set(progressKey(info.idempotencyKey, i), result.messageId, {
          ttlMs: PROGRESS_TTL_MS,
        })
        return result.messageId
      }),
    )
    // Every part settles before the answer, so a retry never races a part still on its way.
    const failed = outcomes.find((o) => o.status === 'rejected')
    if (failed) throw toPluginError(failed.reason, config.throttlePauseMs)
    const smscIds = outcomes.map((o) => (o as PromiseFulfilledResult<string>).value)
    const sent = { messageId: message.id, smscIds }
    await tracker.recordSent(sent)
    ctx.log.debug({ messageId: message.id, parts: smscIds.length, smscIds }, 'sent')
    const providerMessageId = tracker.providerMessageId(sent)
    return { ...(providerMessageId ? { providerMessageId } : {}), status: 'sent' }
  }
}
