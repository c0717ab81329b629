export type { MoInput } from './mo-pdus.js'
export type { ReceiptFormat } from './receipt-pdu.js'
export {
  type HeldSubmits,
  type SmscAccount,
  type SmscReceiptOptions,
  type SmscSimulator,
  type SmscSimulatorOptions,
  startSmscSimulator,
} from './server.js'
export type {
  BindType as SmscBindType,
  ReceiptState as SmscReceiptState,
  SmscBind,
  SmscDelivery,
  SmscMessage,
  SmscRejection,
  SmscSubmit,
} from './types.js'
