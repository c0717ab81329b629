#!/usr/bin/env node
// `npm start`: install what is missing, then run the host in its demo configuration.
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureDependencies } from './pnpm.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
ensureDependencies()
const child = spawn(
  process.execPath,
  ['--import', 'tsx', join(root, 'packages/testkit/src/demo.ts'), ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
  },
)
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
