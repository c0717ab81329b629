#!/usr/bin/env node
// `npm test`: install what is missing, type-check, lint, then run every test file in one
// node:test run so the last lines are the runner's summary.
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureDependencies, pnpm } from './pnpm.mjs'
import { ensureRabbitMq } from './rabbitmq.mjs'
import { ensureRedis } from './redis.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const only = args.filter((a) => !a.startsWith('--'))
const quick = args.includes('--quick')

ensureDependencies()
await ensureRedis()

// RabbitMQ on 5672 (0-9-1 and 1.0) for the broker tests. A machine where it cannot be set up
// still runs every other test; the broker tests then fail and say why.
await ensureRabbitMq().catch((error) => {
  console.error(`RabbitMQ is not available: ${error.message}`)
})

if (!quick) {
  step('typecheck', () => pnpm(['exec', 'tsc', '-p', 'tsconfig.json']))
  step('lint', () => pnpm(['exec', 'biome', 'check', '.']))
}

const files = findTests(['packages', 'plugins', 'host', 'test']).filter(
  (f) => only.length === 0 || only.some((o) => f.includes(o)),
)
console.log(`running ${files.length} test files`)
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' },
  },
)
process.exit(result.status ?? 1)

function step(name, fn) {
  console.log(`\n== ${name}`)
  const status = fn()
  if (status !== 0) {
    console.error(`${name} failed`)
    process.exit(status)
  }
}

function findTests(dirs) {
  const out = []
  const walk = (dir) => {
    let entries
    try {
      entries = readdirSync(dir)
    } catch {
      return
    }
    for (const name of entries) {
      if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue
      const path = join(dir, name)
      if (statSync(path).isDirectory()) walk(path)
      else if (name.endsWith('.test.ts')) out.push(relative(root, path))
    }
  }
  for (const d of dirs) walk(join(root, d))
  return out.sort()
}
