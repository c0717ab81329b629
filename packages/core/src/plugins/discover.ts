import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'

/** A package that says it is a Plugboard plugin, found but not yet imported. */
export interface PluginPackage {
  name: string
  version: string
  dir: string
  /** The API range from package.json#plugboard.api. */
  apiRange: string | undefined
  /** Absolute path of the module to import. */
  entry: string
  source: 'directory' | 'dependency'
}

interface PackageJson {
  name?: string
  version?: string
  keywords?: string[]
  main?: string
  module?: string
  exports?: unknown
  plugboard?: { api?: string }
  dependencies?: Record<string, string>
  optionalDependencies?: Record<string, string>
}

export const PLUGIN_KEYWORD = 'plugboard-plugin'

/**
 * Packages inside plugin directories: every folder (or `@scope/folder`) holding a package.json
 * with the `plugboard-plugin` keyword or a `plugboard` field.
 */
export function discoverInDirectories(dirs: readonly string[]): PluginPackage[] {
  const out: PluginPackage[] = []
  for (const root of dirs) {
    const dir = resolve(root)
    if (!existsSync(dir)) continue
    for (const name of readdirSync(dir)) {
      const path = join(dir, name)
      if (!isDirectory(path) || name.startsWith('.') || name === 'node_modules') continue
      if (name.startsWith('@')) {
        for (const inner of readdirSync(path)) {
          const pkg = readPluginPackage(join(path, inner), 'directory')
          if (pkg) out.push(pkg)
        }
        continue
      }
      const pkg = readPluginPackage(path, 'directory')
      if (pkg) out.push(pkg)
    }
  }
  return out
}

/**
 * Installed dependencies of the project at `projectDir` (its package.json) that carry the
 * `plugboard-plugin` keyword. Only direct dependencies are read: scanning all of node_modules
 * would cost start-up time and pick up packages nobody chose.
 */
export function discoverDependencies(projectDir: string): PluginPackage[] {
  const manifest = readJson(join(projectDir, 'package.json'))
  if (!manifest) return []
  const names = Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })
  const out: PluginPackage[] = []
  for (const name of names) {
    const dir = findInstalled(projectDir, name)
    if (!dir) continue
    const pkg = readPluginPackage(dir, 'dependency')
    if (pkg) out.push(pkg)
  }
  return out
}

function readPluginPackage(
  dir: string,
  source: PluginPackage['source'],
): PluginPackage | undefined {
  const manifest = readJson(join(dir, 'package.json'))
  if (!manifest?.name) return undefined
  const isPlugin = manifest.keywords?.includes(PLUGIN_KEYWORD) || manifest.plugboard !== undefined
  if (!isPlugin) return undefined
  return {
    name: manifest.name,
    version: manifest.version ?? '0.0.0',
    dir,
    apiRange: manifest.plugboard?.api,
    entry: entryOf(dir, manifest),
    source,
  }
}

function entryOf(dir: string, manifest: PackageJson): string {
  const fromExports = exportTarget(manifest.exports)
  const rel = fromExports ?? manifest.module ?? manifest.main ?? 'index.js'
  return resolve(dir, rel)
}

function exportTarget(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports
  if (typeof exports !== 'object' || exports === null) return undefined
  const root = '.' in exports ? (exports as Record<string, unknown>)['.'] : exports
  if (typeof root === 'string') return root
  if (typeof root === 'object' && root !== null) {
    for (const condition of ['import', 'node', 'default']) {
      const target = exportTarget((root as Record<string, unknown>)[condition])
      if (target) return target
    }
  }
  return undefined
}

function findInstalled(from: string, name: string): string | undefined {
  let dir = resolve(from)
  for (;;) {
    const candidate = join(dir, 'node_modules', name)
    if (existsSync(join(candidate, 'package.json'))) return candidate
    const parent = dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}

function readJson(path: string): PackageJson | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as PackageJson
  } catch {
    return undefined
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}
