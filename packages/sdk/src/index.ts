/**
 * @module @plugboard/sdk
 * The public plugin API of Plugboard. Plugins depend on this package only.
 */
export { z } from 'zod'
export * from './cim/index.js'
export * from './config.js'
export type * from './context.js'
export * from './errors.js'
export * from './file-engine.js'
export * from './http.js'
export * from './multipart.js'
export * from './pacer.js'
export * from './plugin.js'
export * from './version.js'
