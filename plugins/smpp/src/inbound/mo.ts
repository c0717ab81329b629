import { inboundMessage, type PluginContext, text } from '@plugboard/sdk'
import { decodeText } from '../encoding/alphabet.js'
import type { DeliverSmPdu } from '../pdu/types.js'
import type { Reassembler } from './reassembly.js'
import { userData } from './user-data.js'

export type MoOutcome = 'delivered' | 'duplicate' | 'part-stored' | 'unaddressed'

export interface MoHandler {
  handle(pdu: DeliverSmPdu): Promise<MoOutcome>
}

/**
 * Customer messages (MO) to the host: serviceIdentifier is the channel the SMS was sent to,
 * customer the sender. SMPP gives MO messages no id, so a single-part message carries no
 * de-duplication key: an SMSC repeating a deliver_sm whose answer it lost repeats the message.
 */
export function createMoHandler(
  ctx: Pick<PluginContext<unknown>, 'inbound' | 'channels' | 'connectorId' | 'log'>,
  reassembler: Reassembler,
): MoHandler {
  const hand = async (from: string, to: string, body: string, providerMessageId?: string) => {
    const message = inboundMessage({
      serviceIdentifier: channelOf(to, ctx.channels()),
      customerId: from,
      body: text(body),
      connectorId: ctx.connectorId,
      ...(providerMessageId ? { providerMessageId } : {}),
    })
    const result = await ctx.inbound(message, providerMessageId ? { providerMessageId } : {})
    return result.status === 'duplicate' ? 'duplicate' : 'delivered'
  }

  return {
    async handle(pdu) {
      // CCM needs both ends; without them the message can never be taken, however often it comes.
      if (pdu.sourceAddr.trim() === '' || pdu.destinationAddr.trim() === '') return 'unaddressed'
      const ud = userData(pdu)
      if (!ud.concat) {
        return hand(pdu.sourceAddr, pdu.destinationAddr, decodeText(ud.body, ud.dataCoding))
      }
      const whole = await reassembler.add(pdu.sourceAddr, pdu.destinationAddr, ud.concat, ud)
      if (!whole) {
        ctx.log.debug(
          { from: pdu.sourceAddr, ref: ud.concat.ref, part: ud.concat.seq, of: ud.concat.total },
          'stored a part of a long customer message',
        )
        return 'part-stored'
      }
      const outcome = await hand(
        pdu.sourceAddr,
        pdu.destinationAddr,
        whole.text,
        whole.providerMessageId,
      )
      await whole.forget()
      return outcome
    },
  }
}

/**
 * The channel an SMS to `to` belongs to. SMSCs write numbers their own way (with or without +,
 * 00 or a national prefix), so an exact match is tried, then the digits, and a connector with
 * one channel takes everything sent to it.
 */
export function channelOf(to: string, channels: readonly { serviceIdentifier: string }[]): string {
  const exact = channels.find((c) => c.serviceIdentifier === to)
  if (exact) return exact.serviceIdentifier
  const digits = (s: string) => s.trim().replace(/^\+|^00/, '')
  const same = channels.find((c) => digits(c.serviceIdentifier) === digits(to))
  if (same) return same.serviceIdentifier
  if (channels.length === 1) return (channels[0] as { serviceIdentifier: string }).serviceIdentifier
  return to
}
