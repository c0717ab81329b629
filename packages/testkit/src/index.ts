/**
 * @module @plugboard/testkit
 * Simulators, an in-process host and the conformance suite, for Plugboard and plugin authors.
 */
export { type CcmSimulator, startCcmSimulator } from './ccm-simulator.js'
export type {
  ChannelFixture,
  PushRecord,
  UnifiedAdminAttribute,
  UnifiedAdminSimulator,
} from './ccm-unified-admin.js'
export { type ConformanceOptions, runConformance } from './conformance.js'
export { bridgeTo } from './context-bridge.js'
export {
  type AgentCall,
  type AgentReply,
  type AgentReplyResult,
  type CxoneAgent,
  type CxoneCredentials,
  type CxoneFailure,
  type CxoneMessage,
  type CxoneSimulator,
  type CxoneSimulatorOptions,
  type CxoneStatusUpdate,
  type CxoneThread,
  startCxoneSimulator,
} from './cxone/index.js'
export {
  DIALOG360_SIGNATURE_HEADER,
  type Dialog360Channel,
  type Dialog360Failure,
  type Dialog360InboundContent,
  type Dialog360InboundInput,
  type Dialog360MediaContent,
  type Dialog360MediaRequest,
  type Dialog360PostOptions,
  type Dialog360Registration,
  type Dialog360Send,
  type Dialog360Simulator,
  type Dialog360SimulatorOptions,
  type Dialog360StatusStep,
  type Dialog360Webhook,
  type Dialog360WebhookShape,
  signDialog360Webhook,
  startDialog360Simulator,
} from './dialog360/index.js'
export {
  type FileEngineSimulator,
  type StoredFile,
  startFileEngineSimulator,
} from './file-engine-simulator.js'
export {
  GRAPH_ERRORS,
  type GraphAfterSend,
  type GraphAttachmentInput,
  type GraphCustomerInput,
  type GraphEventPost,
  type GraphFailure,
  type GraphPage,
  type GraphPostOptions,
  type GraphSenderAction,
  type GraphSentMessage,
  type GraphSimulator,
  type GraphSimulatorOptions,
  type GraphVerificationAnswer,
  type GraphWebhookPost,
  metaJson,
  signGraphWebhook,
  startGraphSimulator,
} from './graph/index.js'
export { startTestHost, type TestHost, type TestHostOptions } from './host.js'
export {
  type HttpProviderSimulator,
  type ProviderMessage,
  startHttpProviderSimulator,
} from './http-provider-simulator.js'
export {
  type MoInput,
  type SmscAccount,
  type SmscBind,
  type SmscDelivery,
  type SmscMessage,
  type SmscReceiptOptions,
  type SmscSimulator,
  type SmscSimulatorOptions,
  type SmscSubmit,
  startSmscSimulator,
} from './smsc/index.js'
export {
  createTestContext,
  type LogRecord,
  type TestContext,
  type TestContextOptions,
} from './test-context.js'
export {
  type SentCallback,
  type SentWebhook,
  type SimulatedMessage,
  type StatusStep,
  signTwilioJsonRequest,
  signTwilioRequest,
  startTwilioSimulator,
  type TwilioAccount,
  type TwilioFailure,
  type TwilioSimulator,
  type TwilioSimulatorOptions,
} from './twilio/index.js'
