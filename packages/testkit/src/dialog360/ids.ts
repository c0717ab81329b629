import { randomBytes, randomInt } from 'node:crypto'

/** A WhatsApp message id as the Cloud API hands them out: `wamid.` and base64. */
export function wamid(): string {
  return `wamid.${randomBytes(30).toString('base64')}`
}

/** A Meta object id (media, phone number id, WABA id): 15–16 digits. */
export function metaId(): string {
  return `${randomInt(1, 10)}${Array.from({ length: 15 }, () => randomInt(0, 10)).join('')}`
}

/** A 360dialog API key: 32 characters, letters and digits, as the Hub shows them. */
export function apiKey(): string {
  return randomBytes(24)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, 'x')
    .slice(0, 32)
}

/** A made-up WhatsApp business number (digits, country code first). */
export function phoneNumber(): string {
  return `1555${randomInt(1_000_000, 9_999_999)}`
}

/** A Graph API trace id, shown in errors. */
export function traceId(): string {
  return randomBytes(9).toString('base64url')
}
