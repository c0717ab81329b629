/**
 * @module
 * Twilio channel addresses: SMS uses E.164 numbers (`+15551234567`), WhatsApp the same number
 * behind a `whatsapp:` prefix.
 */

const WHATSAPP = 'whatsapp:'

export function isWhatsApp(address: string): boolean {
  return address.toLowerCase().startsWith(WHATSAPP)
}

/** The number without a channel prefix; CCM knows the customer by this. */
export function bareNumber(address: string): string {
  const colon = address.indexOf(':')
  return colon === -1 ? address : address.slice(colon + 1)
}

/** The customer's address on the channel `from` belongs to. */
export function recipientAddress(customerId: string, from: string): string {
  if (!isWhatsApp(from) || customerId.includes(':')) return customerId
  return `${WHATSAPP}${customerId}`
}

/** A Messaging Service SID used as a channel's serviceIdentifier. */
export function isMessagingServiceSid(value: string): boolean {
  return /^MG[0-9a-fA-F]{32}$/.test(value)
}

/**
 * Rough check that a customer id can be a phone number. Twilio would refuse anything else with
 * 21211; catching it here saves the call and names the field.
 */
export function looksLikePhoneNumber(address: string): boolean {
  return /^\+?[0-9][0-9 ().-]{3,20}$/.test(bareNumber(address).trim())
}
