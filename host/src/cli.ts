import { parseArgs } from 'node:util'
import { main } from './commands/index.js'

process.exitCode = await main(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  parseArgs,
})
