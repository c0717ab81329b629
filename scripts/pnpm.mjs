#!/usr/bin/env node
// Runs the pnpm version pinned in package.json#packageManager through npx, so a fresh machine
// with only Node and npm needs no global install and every machine uses the same pnpm.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

export function pnpmSpec() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  const spec = String(pkg.packageManager ?? '')
  if (!spec.startsWith('pnpm@'))
    throw new Error('package.json#packageManager must pin pnpm@<version>')
  return spec
}

export function pnpm(args, options = {}) {
  const result = spawnSync('npx', ['--yes', pnpmSpec(), ...args], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, npm_config_update_notifier: 'false' },
    ...options,
  })
  if (result.error) throw result.error
  return result.status ?? 1
}

/** Installs the workspace's dependencies; cheap when they are already in place. */
export function ensureDependencies() {
  const frozen = process.env.CI ? ['--frozen-lockfile'] : []
  const status = pnpm(['install', '--prefer-offline', ...frozen])
  if (status !== 0) {
    console.error('pnpm install failed; see the output above.')
    process.exit(status)
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exit(pnpm(process.argv.slice(2)))
}
