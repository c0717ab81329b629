/**
 * @module
 * The Twilio simulator: Messages API, status callbacks and incoming webhooks, signed as Twilio
 * signs them.
 */

export { signTwilioJsonRequest, signTwilioRequest, type WebhookParams } from './signing.js'
export {
  type HttpAnswer,
  type InboundSmsInput,
  type InboundWhatsAppInput,
  type MediaInput,
  type MediaRequest,
  type PostOptions,
  type SentCallback,
  type SentWebhook,
  type SimulatedMessage,
  type StatusStep,
  startTwilioSimulator,
  type TwilioAccount,
  type TwilioFailure,
  type TwilioSimulator,
  type TwilioSimulatorOptions,
  type TwilioStatus,
} from './simulator.js'
