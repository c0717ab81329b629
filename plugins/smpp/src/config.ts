import { attribute, secret, z } from '@plugboard/sdk'

// Unified Admin stores every attribute as text; YAML gives numbers and booleans. Accept both, read
// a blank value as "not set", and never let `z.coerce.boolean()` turn the string "false" into true.
// The outer `.default` also marks the field optional for `describeConfig`.
const blank = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value

const flag = (fallback: boolean) =>
  z
    .preprocess((value) => {
      const v = blank(value)
      if (typeof v !== 'string') return v
      const text = v.trim().toLowerCase()
      if (['true', '1', 'yes', 'on'].includes(text)) return true
      if (['false', '0', 'no', 'off'].includes(text)) return false
      return v
    }, z.boolean().default(fallback))
    .default(fallback)

const int = (min: number, max: number, fallback: number) =>
  z.preprocess(blank, z.coerce.number().int().min(min).max(max).default(fallback)).default(fallback)

const optionalInt = (min: number, max: number) =>
  z.preprocess(blank, z.coerce.number().int().min(min).max(max).optional()).optional()

const BIND_TYPES = {
  '0': 'transmitter',
  tx: 'transmitter',
  transmitter: 'transmitter',
  '1': 'receiver',
  rx: 'receiver',
  receiver: 'receiver',
  '2': 'transceiver',
  trx: 'transceiver',
  transceiver: 'transceiver',
} as const

const bindType = z
  .preprocess(
    (value) => {
      const v = blank(value)
      if (v === undefined || v === null) return undefined
      return BIND_TYPES[String(v).trim().toLowerCase() as keyof typeof BIND_TYPES] ?? v
    },
    z
      .enum(['transmitter', 'receiver', 'transceiver'], {
        error: 'use 0 (transmitter), 1 (receiver) or 2 (transceiver)',
      })
      .default('transceiver'),
  )
  .default('transceiver')

const numberType = z
  .preprocess(
    (value) => {
      const v = blank(value)
      if (v === undefined || v === null) return undefined
      const text = String(v).trim().toLowerCase()
      if (text === '0' || text === 'numeric') return 'numeric'
      if (text === '1' || text === 'alphanumeric') return 'alphanumeric'
      return v
    },
    z
      .enum(['numeric', 'alphanumeric'], { error: 'use 0 (numeric) or 1 (alphanumeric)' })
      .default('numeric'),
  )
  .default('numeric')

/**
 * Connector config of the SMPP plugin: one SMSC account. The first block carries Expertflow's
 * SMPP connector attribute keys; the rest are this plugin's session settings.
 */
export const SmppConfig = z.object({
  host: attribute(z.string().trim().min(1, 'the SMSC host is required'), {
    key: 'SMPP-REMOTE-IP-ADDRESS',
    label: 'SMSC host',
    help: 'Host name or IP address of the SMSC.',
    valueType: 'IP',
  }),
  port: attribute(int(1, 65535, 2775), {
    key: 'SMPP-REMOTE-PORT',
    label: 'SMSC port',
    help: 'SMPP port of the SMSC; usually 2775, or 3550 for SMPP over TLS.',
    valueType: 'PositiveNumber',
  }),
  systemId: attribute(z.string().trim().min(1, 'the SMPP system id is required'), {
    key: 'SMPP-SYSTEM-ID',
    label: 'System id',
    help: 'The account name at the SMSC (bind system_id).',
    valueType: 'String50',
  }),
  password: secret(z.string().min(1, 'the SMPP password is required'), {
    key: 'SMPP-PASSWORD',
    label: 'Password',
    help: 'Bind password. SMPP 3.4 allows 8 characters; it is sent as given.',
  }),
  systemType: attribute(z.string().default(''), {
    key: 'SMPP-SYSTEM-TYPE',
    label: 'System type',
    help: 'Bind system_type, when the SMSC asks for one; usually empty.',
    valueType: 'String50',
  }),
  bindType: attribute(bindType, {
    key: 'SMPP-BIND-TYPE',
    label: 'Bind type',
    help: '0 transmitter (send only), 1 receiver (receive only), 2 transceiver (both; default).',
    valueType: 'Number',
  }),
  fromNumber: attribute(z.string().trim().optional(), {
    key: 'SMPP-FROM-NUMBER',
    label: 'From number',
    help: "Sender of every outbound SMS. Empty: each channel's serviceIdentifier.",
    valueType: 'String50',
  }),
  numberType: attribute(numberType, {
    key: 'SMPP-NUMBER-TYPE',
    label: 'Number type',
    help: '0: the sender is a number (TON 1, or 0 for a short code; NPI 1); 1: an alphanumeric sender id (TON 5, NPI 0).',
    valueType: 'Number',
  }),
  secure: attribute(flag(false), {
    key: 'SMPP-SECURE',
    label: 'TLS',
    help: 'Connect with SMPP over TLS; the certificate is verified.',
    valueType: 'Boolean',
  }),
  publishDeliveryReports: attribute(flag(false), {
    key: 'PUBLISHER-ENABLE',
    label: 'Publish delivery reports',
    help: 'Also publish SMS delivery reports to AMQ; read by the host’s SendSms/delivery-report publisher, not by this plugin.',
    valueType: 'Boolean',
  }),

  binds: attribute(int(1, 16, 1), {
    key: 'SMPP-BINDS',
    label: 'Binds',
    help: 'Binds of the bind type to keep open, where the SMSC allows several per account.',
    valueType: 'PositiveNumber',
  }),
  receiverBinds: attribute(int(0, 16, 0), {
    key: 'SMPP-RECEIVER-BINDS',
    label: 'Extra receiver binds',
    help: 'Receiver binds besides the above: bind type 0 with 1 here is the classic TX + RX pair.',
    valueType: 'Number',
  }),
  window: attribute(int(1, 1000, 10), {
    key: 'SMPP-WINDOW',
    label: 'Window',
    help: 'Requests in flight per bind before waiting for responses; keep ≤ 2–3× the TPS.',
    valueType: 'PositiveNumber',
  }),
  tps: attribute(int(0, 100_000, 0), {
    key: 'SMPP-TPS',
    label: 'Submits per second',
    help: 'The rate the SMSC allows this account, over all binds; 0 = no limit.',
    valueType: 'Number',
  }),
  responseTimeoutMs: attribute(int(100, 300_000, 10_000), {
    key: 'SMPP-RESPONSE-TIMEOUT-MS',
    label: 'Response timeout (ms)',
    help: 'Wait for each response before treating it as lost.',
    valueType: 'PositiveNumber',
  }),
  connectTimeoutMs: attribute(int(100, 300_000, 10_000), {
    key: 'SMPP-CONNECT-TIMEOUT-MS',
    label: 'Connect timeout (ms)',
    valueType: 'PositiveNumber',
  }),
  enquireLinkMs: attribute(int(100, 3_600_000, 30_000), {
    key: 'SMPP-ENQUIRE-LINK-MS',
    label: 'Enquire-link period (ms)',
    help: 'Quiet time after which enquire_link checks the link; no answer drops and re-binds it.',
    valueType: 'PositiveNumber',
  }),
  reconnectMinMs: attribute(int(10, 3_600_000, 1_000), {
    key: 'SMPP-RECONNECT-MIN-MS',
    label: 'First re-bind delay (ms)',
    valueType: 'PositiveNumber',
  }),
  reconnectMaxMs: attribute(int(10, 3_600_000, 60_000), {
    key: 'SMPP-RECONNECT-MAX-MS',
    label: 'Longest re-bind delay (ms)',
    valueType: 'PositiveNumber',
  }),
  throttlePauseMs: attribute(int(10, 600_000, 1_000), {
    key: 'SMPP-THROTTLE-PAUSE-MS',
    label: 'Pause after throttling (ms)',
    help: 'First pause after ESME_RTHROTTLED or ESME_RMSGQFUL; doubles while the SMSC keeps refusing.',
    valueType: 'PositiveNumber',
  }),
  sendTimeoutMs: attribute(int(100, 3_600_000, 30_000), {
    key: 'SMPP-SEND-TIMEOUT-MS',
    label: 'Send timeout (ms)',
    help: 'How long one send may wait for a bind, the throttle and retries before the host retries it later.',
    valueType: 'PositiveNumber',
  }),
  registeredDelivery: attribute(flag(true), {
    key: 'SMPP-REGISTERED-DELIVERY',
    label: 'Request delivery receipts',
    valueType: 'Boolean',
  }),
  concat: attribute(z.enum(['udh8', 'udh16', 'sar', 'payload']).default('udh8'), {
    key: 'SMPP-CONCAT',
    label: 'Long messages',
    help: 'udh8 (default) or udh16: concatenation UDH; sar: sar_* TLVs; payload: the whole text in message_payload.',
    valueType: 'String50',
  }),
  maxParts: attribute(int(1, 255, 10), {
    key: 'SMPP-MAX-PARTS',
    label: 'Most parts per message',
    valueType: 'PositiveNumber',
  }),
  sourceTon: attribute(optionalInt(0, 6), {
    key: 'SMPP-SOURCE-TON',
    label: 'Source TON',
    help: 'Overrides the TON that SMPP-NUMBER-TYPE implies.',
    valueType: 'Number',
  }),
  sourceNpi: attribute(optionalInt(0, 18), {
    key: 'SMPP-SOURCE-NPI',
    label: 'Source NPI',
    valueType: 'Number',
  }),
  destTon: attribute(int(0, 6, 1), {
    key: 'SMPP-DEST-TON',
    label: 'Destination TON',
    help: '1 (international) by default: customer numbers are E.164, sent without the +.',
    valueType: 'Number',
  }),
  destNpi: attribute(int(0, 18, 1), {
    key: 'SMPP-DEST-NPI',
    label: 'Destination NPI',
    valueType: 'Number',
  }),
  tlsCa: attribute(z.string().optional(), {
    key: 'SMPP-TLS-CA',
    label: 'TLS CA (PEM)',
    help: "PEM of the CA that signed the SMSC's certificate, when it is not publicly trusted.",
    valueType: 'String2000',
  }),
  tlsRejectUnauthorized: attribute(flag(true), {
    key: 'SMPP-TLS-VERIFY',
    label: 'Verify the TLS certificate',
    help: 'Turn off only for a test SMSC with a self-signed certificate.',
    valueType: 'Boolean',
  }),
  receiptTtlHours: attribute(int(1, 24 * 30, 72), {
    key: 'SMPP-RECEIPT-TTL-HOURS',
    label: 'Keep message ids for receipts (h)',
    help: 'How long an SMSC message id is kept to match its delivery receipt; at least the validity period.',
    valueType: 'PositiveNumber',
  }),
  receiptWaitMs: attribute(int(0, 60_000, 5_000), {
    key: 'SMPP-RECEIPT-WAIT-MS',
    label: 'Wait for an early receipt (ms)',
    help: 'A receipt can overtake the record of its submit; it is held this long before being dropped as unknown.',
    valueType: 'Number',
  }),
})

export type SmppConfig = z.output<typeof SmppConfig>
