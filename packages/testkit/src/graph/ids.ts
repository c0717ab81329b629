import { randomBytes, randomInt } from 'node:crypto'

/** A numeric id of Meta's length (Page ids, PSIDs): 15–16 digits, no leading zero. */
export function numericId(digits = 16): string {
  let id = String(randomInt(1, 10))
  for (let i = 1; i < digits; i++) id += String(randomInt(0, 10))
  return id
}

/** A message id in today's shape: `m_` and base64url. */
export function messageId(): string {
  return `m_${randomBytes(36).toString('base64url')}`
}

/** A page access token's look: `EAA…`. */
export function accessToken(): string {
  return `EAA${randomBytes(48).toString('base64url')}`
}

export function appSecret(): string {
  return randomBytes(16).toString('hex')
}

/** The trace id Graph puts in every error. */
export function fbtraceId(): string {
  return randomBytes(8).toString('base64').replace(/=+$/, '')
}
