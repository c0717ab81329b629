import type { SmppConfig } from './config.js'
import { smppError } from './errors.js'

export interface Address {
  addr: string
  ton: number
  npi: number
}

const TON = { UNKNOWN: 0, INTERNATIONAL: 1, ALPHANUMERIC: 5 } as const
const NPI = { UNKNOWN: 0, ISDN: 1 } as const

/**
 * The sender: SMPP-FROM-NUMBER, else the channel's serviceIdentifier. A number written with `+`
 * (or of 10+ digits) is international (TON 1, NPI 1) and sent without the `+`; a shorter one
 * (a short code) has TON 0. An alphanumeric sender id has TON 5, NPI 0.
 */
export function sourceAddress(
  config: Pick<SmppConfig, 'fromNumber' | 'numberType' | 'sourceTon' | 'sourceNpi'>,
  serviceIdentifier: string,
): Address {
  const raw = (config.fromNumber?.trim() || serviceIdentifier).trim()
  let address: Address
  if (config.numberType === 'alphanumeric') {
    if (raw.length === 0 || raw.length > 11) {
      throw smppError(
        'SMPP_INVALID_ADDRESS',
        `alphanumeric sender '${raw}' must have 1 to 11 characters; check SMPP-FROM-NUMBER`,
      )
    }
    address = { addr: raw, ton: TON.ALPHANUMERIC, npi: NPI.UNKNOWN }
  } else {
    const digits = msisdnDigits(raw)
    if (!digits) {
      throw smppError(
        'SMPP_INVALID_ADDRESS',
        `sender '${raw}' is not a phone number; set SMPP-FROM-NUMBER, or SMPP-NUMBER-TYPE to 1 for an alphanumeric sender`,
      )
    }
    const international = raw.startsWith('+') || digits.length >= 10
    address = { addr: digits, ton: international ? TON.INTERNATIONAL : TON.UNKNOWN, npi: NPI.ISDN }
  }
  return {
    addr: address.addr,
    ton: config.sourceTon ?? address.ton,
    npi: config.sourceNpi ?? address.npi,
  }
}

/** The customer's number as SMPP wants it: digits only, TON/NPI from the config. */
export function destinationAddress(
  config: Pick<SmppConfig, 'destTon' | 'destNpi'>,
  customerId: string,
): Address {
  const digits = msisdnDigits(customerId)
  if (!digits) {
    throw smppError(
      'SMPP_INVALID_ADDRESS',
      `customer address '${customerId}' is not a phone number (expected up to 20 digits, optionally with +)`,
    )
  }
  return { addr: digits, ton: config.destTon, npi: config.destNpi }
}

/** `+44 20 7946-0958` → `442079460958`; undefined unless 1–20 digits remain. */
export function msisdnDigits(value: string): string | undefined {
  const cleaned = value
    .trim()
    .replace(/^\+/, '')
    .replace(/[\s().-]/g, '')
  return /^\d{1,20}$/.test(cleaned) ? cleaned : undefined
}
