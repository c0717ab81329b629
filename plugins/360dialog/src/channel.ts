/**
 * @module
 * Which channel (serviceIdentifier) a webhook's messages belong to. Cloud API webhooks name the
 * business number in `metadata.display_phone_number`; On-Premise ones do not, so the connector's
 * own number stands in: PHONE-NUMBER, else the single channel routed to the connector.
 */
import type { ChannelInfo } from '@plugboard/sdk'

const digits = (value: string) => value.replace(/\D/g, '')

export interface ChannelSource {
  phoneNumber: string | undefined
  channels(): readonly ChannelInfo[]
}

/**
 * The serviceIdentifier for a business number, spelled as the channel is declared (`+4930…`,
 * `4930…`), so CCM finds it; a number no channel declares is passed on as WhatsApp wrote it.
 */
export function resolveChannel(
  source: ChannelSource,
  displayPhoneNumber: string | undefined,
): string | undefined {
  const declared = [
    ...(source.phoneNumber ? [source.phoneNumber] : []),
    ...source.channels().map((c) => c.serviceIdentifier),
  ]
  if (displayPhoneNumber) {
    const wanted = digits(displayPhoneNumber)
    return declared.find((d) => digits(d) === wanted) ?? wanted
  }
  if (source.phoneNumber) return source.phoneNumber
  const channels = source.channels()
  return channels.length === 1 ? channels[0]!.serviceIdentifier : undefined
}
