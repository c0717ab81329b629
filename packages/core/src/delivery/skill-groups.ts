import type { CimMessage } from '@plugboard/sdk'

/** The attribute key the queue travels under in `channelData.additionalAttributes`. */
export const QUEUE_ATTRIBUTE = 'queue'

const RECEIPT_TYPES = new Set(['DELIVERYNOTIFICATION', 'DELETEDNOTIFICATION', 'NOTIFICATION'])

/**
 * SKILL_GROUPS: names the queue a customer's conversation should be routed to, by channel type
 * (`whatsapp → premium`). CCM routes a queue it does not know to the channel's default queue,
 * so a stale name degrades to the default instead of failing. Only customer messages get one;
 * a queue a plugin already set wins.
 */
export function createSkillGroups(
  groups: Readonly<Record<string, string>>,
): (message: CimMessage, channelType: string | undefined) => CimMessage {
  const table = new Map(Object.entries(groups).map(([k, v]) => [k.toLowerCase(), v]))
  if (table.size === 0) return (message) => message
  return (message, channelType) => {
    if (RECEIPT_TYPES.has(message.body.type)) return message
    const queue = table.get(channelType?.toLowerCase() ?? '') ?? table.get('default')
    if (!queue) return message
    const attributes = message.header.channelData.additionalAttributes ?? []
    if (attributes.some((a) => a.key === QUEUE_ATTRIBUTE)) return message
    return {
      ...message,
      header: {
        ...message.header,
        channelData: {
          ...message.header.channelData,
          additionalAttributes: [
            ...attributes,
            { key: QUEUE_ATTRIBUTE, type: 'String100', value: queue },
          ],
        },
      },
    }
  }
}
