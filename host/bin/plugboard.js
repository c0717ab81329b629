#!/usr/bin/env node
// Runs the CLI. From a source checkout it goes through tsx, so the TypeScript workspaces (and TS
// plugins dropped into plugins/) run without a build; a published package runs dist/.
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const source = join(here, '..', 'src', 'cli.ts')
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api')
  const tsconfig = join(here, '..', '..', 'tsconfig.json')
  register(existsSync(tsconfig) ? { tsconfig } : {})
  await import(pathToFileURL(source).href)
} else {
  await import(pathToFileURL(join(here, '..', 'dist', 'cli.js')).href)
}
