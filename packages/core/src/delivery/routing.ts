import type { CimMessage } from '@plugboard/sdk'
import type { Channel, ChannelTable } from '../connectors/channels.js'
import type { Direction } from '../pipeline/types.js'

/**
 * Where an inbound job (a message for the center side of a channel) is delivered.
 * - `center`: CCM, the default route.
 * - `connector`: the channel is routed to another connector, which serves its customers; that
 *   connector's `send` gets the message (e.g. the BYOC connector creates a CXone thread message).
 * - `customer`: the serving connector's own message for the channel's customers, queued before
 *   the route pointed at it; it goes out through the channel's own connector.
 */
export type InboundTarget =
  | { to: 'center' }
  | { to: 'connector'; connectorId: string }
  | { to: 'customer'; connectorId: string }

/** The connector a channel is routed to, or undefined for the CCM route. */
export function servingConnector(channel: Channel | undefined): string | undefined {
  return channel !== undefined && typeof channel.route === 'object'
    ? channel.route.connector
    : undefined
}

/** Decides where an inbound job of `connectorId` goes, from its channel's route. */
export function inboundTarget(
  channels: ChannelTable,
  connectorId: string,
  message: CimMessage,
): InboundTarget {
  const channel = channels.get(message.header.channelData.serviceIdentifier)
  const serving = servingConnector(channel)
  if (channel === undefined || serving === undefined) return { to: 'center' }
  if (connectorId !== serving) return { to: 'connector', connectorId: serving }
  return { to: 'customer', connectorId: channel.connector }
}

/**
 * How a message a connector hands to `ctx.inbound` enters the pipeline. A serving connector's
 * message for a channel routed to it is for that channel's customers: an outbound job of the
 * channel's own connector, so it gets that connector's rate limits, sent markers and receipts.
 */
export function submissionOf(
  channels: ChannelTable,
  connectorId: string,
  message: CimMessage,
): { direction: Direction; connectorId: string } {
  const channel = channels.get(message.header.channelData.serviceIdentifier)
  if (
    channel !== undefined &&
    channel.connector !== connectorId &&
    servingConnector(channel) === connectorId
  ) {
    return { direction: 'outbound', connectorId: channel.connector }
  }
  return { direction: 'inbound', connectorId }
}
