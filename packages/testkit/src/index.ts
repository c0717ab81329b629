/**
 * @module @plugboard/testkit
 * Simulators, an in-process host and the conformance suite, for Plugboard and plugin authors.
 */
export { type CcmSimulator, startCcmSimulator } from './ccm-simulator.js'
export { type ConformanceOptions, runConformance } from './conformance.js'
export { startTestHost, type TestHost, type TestHostOptions } from './host.js'
export {
  type HttpProviderSimulator,
  startHttpProviderSimulator,
} from './http-provider-simulator.js'
export {
  createTestContext,
  type LogRecord,
  type TestContext,
  type TestContextOptions,
} from './test-context.js'
