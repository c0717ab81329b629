import { pathToFileURL } from 'node:url'
import { isPluginDescriptor, PLUGIN_API_VERSION, type PluginDescriptor } from '@plugboard/sdk'
import semver from 'semver'
import { HostError } from '../errors.js'
import { discoverDependencies, discoverInDirectories, type PluginPackage } from './discover.js'

export interface LoadedPlugin {
  descriptor: PluginDescriptor
  /** Package name and version, or `inline` for plugins handed to the host in code. */
  packageName: string
  version: string
  dir: string | undefined
}

export interface PluginRegistry {
  get(id: string): LoadedPlugin | undefined
  /** The error that explains why `id` is not available (collision, bad API range, …). */
  problem(id: string): HostError | undefined
  list(): LoadedPlugin[]
  /** Packages that could not be loaded, with why. */
  errors(): HostError[]
}

export interface LoadPluginsOptions {
  dirs?: readonly string[]
  /** Project whose package.json dependencies are searched for plugin packages. */
  projectDir?: string
  /** Plugins passed in code (tests, embedding applications). */
  inline?: readonly PluginDescriptor[]
  hostApiVersion?: string
}

/**
 * Finds, imports and checks plugins. A plugin whose id two packages claim is refused entirely,
 * so which one runs never depends on directory order.
 */
export async function loadPlugins(options: LoadPluginsOptions): Promise<PluginRegistry> {
  const hostApi = options.hostApiVersion ?? PLUGIN_API_VERSION
  const errors: HostError[] = []
  const packages = dedupePackages([
    ...discoverInDirectories(options.dirs ?? []),
    ...(options.projectDir ? discoverDependencies(options.projectDir) : []),
  ])

  const loaded = await Promise.all(
    packages.map((pkg) => importPlugin(pkg, hostApi).catch((e: HostError) => e)),
  )
  const candidates: LoadedPlugin[] = []
  for (const result of loaded) {
    if (result instanceof HostError) errors.push(result)
    else candidates.push(result)
  }
  for (const descriptor of options.inline ?? []) {
    candidates.push({
      descriptor,
      packageName: `inline:${descriptor.id}`,
      version: descriptor.apiVersion,
      dir: undefined,
    })
  }

  const byId = new Map<string, LoadedPlugin>()
  const problems = new Map<string, HostError>()
  for (const plugin of candidates) {
    const id = plugin.descriptor.id
    const existing = byId.get(id)
    if (existing) {
      const error = new HostError(
        'PLUGIN_ID_COLLISION',
        `plugin id '${id}' is claimed by both ${describe(existing)} and ${describe(plugin)}; neither is loaded`,
      )
      problems.set(id, error)
      errors.push(error)
      continue
    }
    if (problems.has(id)) continue
    byId.set(id, plugin)
  }
  for (const id of problems.keys()) byId.delete(id)

  return {
    get: (id) => byId.get(id),
    problem: (id) =>
      problems.get(id) ?? (byId.has(id) ? undefined : notFound(id, [...byId.keys()])),
    list: () => [...byId.values()].sort((a, b) => a.descriptor.id.localeCompare(b.descriptor.id)),
    errors: () => [...errors],
  }
}

async function importPlugin(pkg: PluginPackage, hostApi: string): Promise<LoadedPlugin> {
  if (pkg.apiRange && !semver.satisfies(hostApi, pkg.apiRange)) {
    throw new HostError(
      'PLUGIN_API_MISMATCH',
      `${pkg.name}@${pkg.version} supports plugin API ${pkg.apiRange}, this host provides ${hostApi}`,
    )
  }
  let mod: { default?: unknown }
  try {
    mod = (await import(pathToFileURL(pkg.entry).href)) as { default?: unknown }
  } catch (cause) {
    throw new HostError(
      'PLUGIN_INVALID',
      `${pkg.name}@${pkg.version} failed to import from ${pkg.entry}`,
      { cause },
    )
  }
  const descriptor = mod.default
  if (!isPluginDescriptor(descriptor)) {
    throw new HostError(
      'PLUGIN_INVALID',
      `${pkg.name}@${pkg.version} (${pkg.entry}) has no definePlugin() default export`,
    )
  }
  if (semver.major(descriptor.apiVersion) !== semver.major(hostApi)) {
    throw new HostError(
      'PLUGIN_API_MISMATCH',
      `${pkg.name}@${pkg.version} was built with plugin API ${descriptor.apiVersion}, this host provides ${hostApi}`,
    )
  }
  return { descriptor, packageName: pkg.name, version: pkg.version, dir: pkg.dir }
}

/** The same package found twice (a plugins/ folder that is also a dependency) counts once. */
function dedupePackages(packages: PluginPackage[]): PluginPackage[] {
  const seen = new Map<string, PluginPackage>()
  for (const pkg of packages) {
    const key = `${pkg.name}@${pkg.version}`
    if (!seen.has(key)) seen.set(key, pkg)
  }
  return [...seen.values()]
}

function describe(plugin: LoadedPlugin): string {
  return plugin.dir ? `${plugin.packageName}@${plugin.version} (${plugin.dir})` : plugin.packageName
}

function notFound(id: string, known: string[]): HostError {
  return new HostError(
    'PLUGIN_NOT_FOUND',
    `no plugin with id '${id}' is installed${known.length ? ` (available: ${known.join(', ')})` : ''}`,
  )
}
