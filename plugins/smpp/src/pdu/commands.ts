/** SMPP 3.4 command ids (§5.1.2.1); a response is its request's id with the high bit set. */
export const COMMAND_IDS = {
  generic_nack: 0x80000000,
  bind_receiver: 0x00000001,
  bind_receiver_resp: 0x80000001,
  bind_transmitter: 0x00000002,
  bind_transmitter_resp: 0x80000002,
  query_sm: 0x00000003,
  submit_sm: 0x00000004,
  submit_sm_resp: 0x80000004,
  deliver_sm: 0x00000005,
  deliver_sm_resp: 0x80000005,
  unbind: 0x00000006,
  unbind_resp: 0x80000006,
  bind_transceiver: 0x00000009,
  bind_transceiver_resp: 0x80000009,
  outbind: 0x0000000b,
  enquire_link: 0x00000015,
  enquire_link_resp: 0x80000015,
  alert_notification: 0x00000102,
  data_sm: 0x00000103,
} as const

export type CommandName = keyof typeof COMMAND_IDS

const NAMES = new Map<number, CommandName>(
  Object.entries(COMMAND_IDS).map(([name, id]) => [id, name as CommandName]),
)

export const RESPONSE_BIT = 0x80000000

/** The command's name, or its id in hex for commands this codec does not know. */
export function commandName(id: number): string {
  return NAMES.get(id) ?? `0x${id.toString(16).padStart(8, '0')}`
}

export function isResponseId(id: number): boolean {
  return (id & RESPONSE_BIT) !== 0
}

/** Optional parameter tags (§5.3.2) the plugin reads or writes. */
export const TLV = {
  receipted_message_id: 0x001e,
  user_message_reference: 0x0204,
  sar_msg_ref_num: 0x020c,
  sar_total_segments: 0x020e,
  sar_segment_seqnum: 0x020f,
  network_error_code: 0x0423,
  message_payload: 0x0424,
  delivery_failure_reason: 0x0425,
  message_state: 0x0427,
} as const

/** esm_class bits (§5.2.12). */
export const ESM_CLASS = {
  /** Bits 2–5: the message type. */
  TYPE_MASK: 0x3c,
  DELIVERY_RECEIPT: 0x04,
  DELIVERY_ACK: 0x08,
  USER_ACK: 0x10,
  INTERMEDIATE_NOTIFICATION: 0x20,
  UDHI: 0x40,
} as const

export const INTERFACE_VERSION_34 = 0x34
