import { randomBytes } from 'node:crypto'

/** A Twilio-shaped sid: two-letter prefix and 32 lower-case hex characters, e.g. `SM…`. */
export function twilioSid(prefix: 'AC' | 'SM' | 'MM' | 'ME' | 'MG' | 'XE'): string {
  return prefix + randomBytes(16).toString('hex')
}

/** A random auth token of the length Twilio uses. */
export function authToken(): string {
  return randomBytes(16).toString('hex')
}
