/**
 * command_status values (SMPP 3.4 §5.1.3) with what they mean, so logs and errors name the
 * problem instead of a number.
 */
const STATUSES: Record<number, readonly [name: string, meaning: string]> = {
  0: ['ESME_ROK', 'no error'],
  1: ['ESME_RINVMSGLEN', 'message length is invalid'],
  2: ['ESME_RINVCMDLEN', 'command length is invalid'],
  3: ['ESME_RINVCMDID', 'invalid command id'],
  4: ['ESME_RINVBNDSTS', 'incorrect bind status for this command'],
  5: ['ESME_RALYBND', 'already bound'],
  6: ['ESME_RINVPRTFLG', 'invalid priority flag'],
  7: ['ESME_RINVREGDLVFLG', 'invalid registered delivery flag'],
  8: ['ESME_RSYSERR', 'system error'],
  10: ['ESME_RINVSRCADR', 'invalid source address'],
  11: ['ESME_RINVDSTADR', 'invalid destination address'],
  12: ['ESME_RINVMSGID', 'message id is invalid'],
  13: ['ESME_RBINDFAIL', 'bind failed'],
  14: ['ESME_RINVPASWD', 'invalid password'],
  15: ['ESME_RINVSYSID', 'invalid system id'],
  17: ['ESME_RCANCELFAIL', 'cancel_sm failed'],
  19: ['ESME_RREPLACEFAIL', 'replace_sm failed'],
  20: ['ESME_RMSGQFUL', 'message queue full'],
  21: ['ESME_RINVSERTYP', 'invalid service type'],
  51: ['ESME_RINVNUMDESTS', 'invalid number of destinations'],
  52: ['ESME_RINVDLNAME', 'invalid distribution list name'],
  64: ['ESME_RINVDESTFLAG', 'invalid destination flag'],
  66: ['ESME_RINVSUBREP', 'invalid submit with replace request'],
  67: ['ESME_RINVESMCLASS', 'invalid esm_class'],
  68: ['ESME_RCNTSUBDL', 'cannot submit to distribution list'],
  69: ['ESME_RSUBMITFAIL', 'submit_sm failed'],
  72: ['ESME_RINVSRCTON', 'invalid source address TON'],
  73: ['ESME_RINVSRCNPI', 'invalid source address NPI'],
  80: ['ESME_RINVDSTTON', 'invalid destination address TON'],
  81: ['ESME_RINVDSTNPI', 'invalid destination address NPI'],
  83: ['ESME_RINVSYSTYP', 'invalid system_type'],
  84: ['ESME_RINVREPFLAG', 'invalid replace_if_present flag'],
  85: ['ESME_RINVNUMMSGS', 'invalid number of messages'],
  88: ['ESME_RTHROTTLED', 'throttling error: the ESME exceeded its allowed message rate'],
  97: ['ESME_RINVSCHED', 'invalid scheduled delivery time'],
  98: ['ESME_RINVEXPIRY', 'invalid validity period'],
  99: ['ESME_RINVDFTMSGID', 'invalid predefined message id'],
  100: ['ESME_RX_T_APPN', 'temporary application error'],
  101: ['ESME_RX_P_APPN', 'permanent application error'],
  102: ['ESME_RX_R_APPN', 'application error: message rejected'],
  103: ['ESME_RQUERYFAIL', 'query_sm failed'],
  192: ['ESME_RINVOPTPARSTREAM', 'error in the optional part of the PDU body'],
  193: ['ESME_ROPTPARNOTALLWD', 'optional parameter not allowed'],
  194: ['ESME_RINVPARLEN', 'invalid parameter length'],
  195: ['ESME_RMISSINGOPTPARAM', 'expected optional parameter missing'],
  196: ['ESME_RINVOPTPARAMVAL', 'invalid optional parameter value'],
  254: ['ESME_RDELIVERYFAILURE', 'delivery failure'],
  255: ['ESME_RUNKNOWNERR', 'unknown error'],
  260: ['ESME_RINVDCS', 'invalid data_coding'],
}

export const STATUS = {
  OK: 0x00,
  INVALID_COMMAND_LENGTH: 0x02,
  INVALID_COMMAND_ID: 0x03,
  INVALID_BIND_STATUS: 0x04,
  SYSTEM_ERROR: 0x08,
  BIND_FAILED: 0x0d,
  INVALID_PASSWORD: 0x0e,
  INVALID_SYSTEM_ID: 0x0f,
  QUEUE_FULL: 0x14,
  SUBMIT_FAILED: 0x45,
  THROTTLED: 0x58,
  TEMPORARY_APP_ERROR: 0x64,
  PERMANENT_APP_ERROR: 0x65,
  DELIVERY_FAILURE: 0xfe,
  UNKNOWN_ERROR: 0xff,
} as const

/** e.g. `ESME_RTHROTTLED`, or `0x00000401` for a vendor-specific status. */
export function statusName(status: number): string {
  return STATUSES[status]?.[0] ?? `0x${status.toString(16).padStart(8, '0')}`
}

/** e.g. `ESME_RINVPASWD (0x0000000e, invalid password)`. */
export function describeStatus(status: number): string {
  const known = STATUSES[status]
  const hex = `0x${status.toString(16).padStart(8, '0')}`
  return known ? `${known[0]} (${hex}, ${known[1]})` : `${hex} (vendor-specific)`
}

/** The SMSC asks us to slow down: pause submitting, then retry what it refused. */
export function isThrottleStatus(status: number): boolean {
  return status === STATUS.THROTTLED || status === STATUS.QUEUE_FULL
}

// Statuses an SMSC returns for a passing condition; anything else (bad address, bad coding, …)
// fails the same way on every retry.
const TRANSIENT = new Set<number>([
  STATUS.SYSTEM_ERROR,
  STATUS.QUEUE_FULL,
  STATUS.SUBMIT_FAILED,
  STATUS.THROTTLED,
  STATUS.TEMPORARY_APP_ERROR,
  STATUS.DELIVERY_FAILURE,
  STATUS.UNKNOWN_ERROR,
  STATUS.INVALID_BIND_STATUS,
])

export function isTransientStatus(status: number): boolean {
  return TRANSIENT.has(status)
}

/** Bind refusals that mean the credentials are wrong (or were just rotated). */
export function isCredentialStatus(status: number): boolean {
  return status === STATUS.INVALID_PASSWORD || status === STATUS.INVALID_SYSTEM_ID
}
