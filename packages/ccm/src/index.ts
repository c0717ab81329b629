/**
 * @module @plugboard/ccm
 * Talking to Expertflow CX's Customer Channel Manager.
 */
export { type CcmClient, type CcmClientOptions, createCcmClient } from './client.js'
export * from './unified-admin/index.js'
