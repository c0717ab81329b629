/**
 * @module
 * The 360dialog simulator: the WhatsApp messages API, media, webhook registration, and customer
 * messages and statuses posted to the registered webhook.
 */

export type {
  InboundContent as Dialog360InboundContent,
  InboundInput as Dialog360InboundInput,
  MediaContent as Dialog360MediaContent,
} from './inbound.js'
export type { MediaRequest as Dialog360MediaRequest } from './media.js'
export type {
  StatusStep as Dialog360StatusStep,
  WebhookShape as Dialog360WebhookShape,
} from './payloads.js'
export { DIALOG360_SIGNATURE_HEADER, signDialog360Webhook } from './signing.js'
export { startDialog360Simulator } from './simulator.js'
export type {
  Dialog360Channel,
  Dialog360Failure,
  Dialog360Simulator,
  Dialog360SimulatorOptions,
  PostOptions as Dialog360PostOptions,
  SentWebhook as Dialog360Webhook,
  SimulatedSend as Dialog360Send,
  WebhookRegistration as Dialog360Registration,
} from './types.js'
