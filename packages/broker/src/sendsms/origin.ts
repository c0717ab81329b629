import type { StateStore } from '@plugboard/core'
import type { SendSms } from './message.js'

const NS = 'sendsms'
const RETENTION_MS = 7 * 24 * 3600_000

/** What a delivery report needs that the CIM message does not carry. */
export interface SendSmsOrigin {
  appId: string | null
  number: string
}

/** Remembers that a CIM id came from AMQ SendSms, with the app's id, for its reports. */
export function rememberSendSms(state: StateStore, cimId: string, sms: SendSms): Promise<void> {
  const origin: SendSmsOrigin = { appId: sms.id ?? null, number: sms.number }
  return state.set(NS, cimId, origin, RETENTION_MS)
}

/** The SendSms a CIM id came from; undefined for messages from CCM. */
export function sendSmsOrigin(
  state: StateStore,
  cimId: string,
): Promise<SendSmsOrigin | undefined> {
  return state.get<SendSmsOrigin>(NS, cimId)
}
