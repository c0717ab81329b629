/**
 * @module
 * The CXone simulator: OAuth, the Digital Engagement API and an agent answering through a BYOC
 * middleware.
 */
export { startCxoneSimulator } from './simulator.js'
export type {
  AgentCall,
  AgentReply,
  AgentReplyResult,
  CxoneAgent,
  CxoneCredentials,
  CxoneFailure,
  CxoneMessage,
  CxoneSimulator,
  CxoneSimulatorOptions,
  CxoneStatusUpdate,
  CxoneThread,
} from './types.js'
