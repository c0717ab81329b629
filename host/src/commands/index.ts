import type { parseArgs as ParseArgs } from 'node:util'
import { checkConfigCommand } from './check-config.js'
import { dlqCommand } from './dlq.js'
import { pluginsCommand } from './plugins.js'
import { startCommand } from './start.js'

export interface Io {
  out(line: string): void
  err(line: string): void
  env: NodeJS.ProcessEnv
  parseArgs: typeof ParseArgs
}

const USAGE = `usage: plugboard <command> [options]

commands:
  start [--config FILE]             run the host (config also from PLUGBOARD_CONFIG)
  check-config [--config FILE]      validate the config and every connector's plugin config
  plugins [--json]                  list installed plugins, their webhooks and config attributes
  dlq list [--config FILE] [--connector ID] [--limit N] [--json]
  dlq replay [--config FILE] (--all | --id ID ...)
`

/** Runs one CLI command; returns the exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv
  switch (command) {
    case 'start':
      return startCommand(rest, io)
    case 'check-config':
      return checkConfigCommand(rest, io)
    case 'plugins':
      return pluginsCommand(rest, io)
    case 'dlq':
      return dlqCommand(rest, io)
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.out(USAGE)
      return command === undefined ? 1 : 0
    default:
      io.err(`unknown command '${command}'\n\n${USAGE}`)
      return 1
  }
}

/** The config file from --config or PLUGBOARD_CONFIG. */
export function configFile(value: string | undefined, io: Io): string | undefined {
  return value ?? io.env.PLUGBOARD_CONFIG
}
