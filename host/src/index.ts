/**
 * @module @plugboard/host
 * The Plugboard host: `createHost` builds and runs it in-process; the `plugboard` CLI wraps it.
 */

export { main as runCli } from './commands/index.js'
export { createHost, type Host, type HostOptions, type ReloadResult } from './host.js'
