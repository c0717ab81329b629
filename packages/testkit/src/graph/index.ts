/**
 * @module
 * The Graph API (Messenger) simulator: the Send API, signed webhooks and the verification
 * handshake, as Meta runs them.
 */

export type { GraphAttachmentInput, GraphAttachmentRequest } from './attachments.js'
export { GRAPH_ERRORS, type GraphFailure, graphErrorBody } from './errors.js'
export { metaJson, signGraphWebhook } from './signing.js'
export { startGraphSimulator } from './simulator.js'
export type {
  GraphAfterSend,
  GraphCustomerInput,
  GraphEventPost,
  GraphPage,
  GraphPostOptions,
  GraphSenderAction,
  GraphSentMessage,
  GraphSimulator,
  GraphSimulatorOptions,
  GraphVerificationAnswer,
  GraphWebhookPost,
} from './types.js'
