import type { ChannelInfo } from '@plugboard/sdk'
import type { ChannelConfig } from '../config/schema.js'

/** `ccm`, or the connector that serves the channel's customers. */
export type ChannelRoute = ChannelConfig['route']

export interface Channel extends ChannelInfo {
  connector: string
  route: ChannelRoute
}

/**
 * serviceIdentifier → channel, and connector → its channels. Rebuilt whole on each config change
 * and swapped in one assignment, so lookups are one map read and never see half a config.
 */
export class ChannelTable {
  #bySid = new Map<string, Channel>()
  #byConnector = new Map<string, Channel[]>()
  #byRoute = new Map<string, Channel[]>()

  replace(channels: readonly ChannelConfig[]): void {
    const bySid = new Map<string, Channel>()
    const byConnector = new Map<string, Channel[]>()
    const byRoute = new Map<string, Channel[]>()
    for (const c of channels) {
      const channel: Channel = {
        serviceIdentifier: c.serviceIdentifier,
        connector: c.connector,
        route: c.route,
        ...(c.channelType ? { channelType: c.channelType } : {}),
      }
      bySid.set(channel.serviceIdentifier, channel)
      const list = byConnector.get(channel.connector) ?? []
      list.push(channel)
      byConnector.set(channel.connector, list)
      if (typeof channel.route === 'object') {
        const routed = byRoute.get(channel.route.connector) ?? []
        routed.push(channel)
        byRoute.set(channel.route.connector, routed)
      }
    }
    this.#bySid = bySid
    this.#byConnector = byConnector
    this.#byRoute = byRoute
  }

  get(serviceIdentifier: string): Channel | undefined {
    return this.#bySid.get(serviceIdentifier)
  }

  forConnector(connectorId: string): readonly Channel[] {
    return this.#byConnector.get(connectorId) ?? []
  }

  /** Channels of other connectors whose route is this connector (it serves their customers). */
  routedTo(connectorId: string): readonly Channel[] {
    return this.#byRoute.get(connectorId) ?? []
  }

  get size(): number {
    return this.#bySid.size
  }
}
