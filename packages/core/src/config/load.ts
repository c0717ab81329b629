import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { parseDocument } from 'yaml'
import type { z } from 'zod'
import { HostError } from '../errors.js'
import type { PluginRegistry } from '../plugins/registry.js'
import { applyEnvironment } from './env.js'
import { resolveRefs } from './refs.js'
import { type HostConfig, HostConfigSchema } from './schema.js'

export interface ConfigProblem {
  /** Dotted path inside the config, e.g. `connectors[1].config.outboundUrl`. */
  path: string
  message: string
}

export interface LoadedConfig {
  config: HostConfig
  /** The file it came from, when it came from one. */
  file: string | undefined
  /** Files its `${file:}` references read (secrets): a change to one is a config change too. */
  refFiles: string[]
}

export interface LoadConfigOptions {
  file?: string
  /** A config object instead of a file (tests, embedding). */
  raw?: Record<string, unknown>
  env?: NodeJS.ProcessEnv
}

/**
 * Reads, resolves and validates the host config: YAML file (or object) → environment overrides
 * → `${env:}`/`${file:}` references → schema. Throws CONFIG_INVALID listing every problem.
 */
export function loadConfig(options: LoadConfigOptions): LoadedConfig {
  const env = options.env ?? process.env
  const file = options.file ? resolve(options.file) : undefined
  const label = file ?? 'config'
  const raw = options.raw ?? (file ? readYaml(file) : {})
  const withEnv = applyEnvironment(raw, env)
  const files = new Set<string>()
  const resolved = resolveRefs(withEnv, {
    env,
    baseDir: file ? dirname(file) : process.cwd(),
    files,
  })
  const parsed = HostConfigSchema.safeParse(resolved)
  if (!parsed.success) throw invalid(label, issuesToProblems(parsed.error.issues))
  const problems = crossCheck(parsed.data)
  if (problems.length > 0) throw invalid(label, problems)
  return { config: parsed.data, file, refFiles: [...files] }
}

/** Validates each connector's plugin config with the plugin's own schema. */
export function checkPlugins(config: HostConfig, registry: PluginRegistry): ConfigProblem[] {
  const problems: ConfigProblem[] = []
  config.connectors.forEach((connector, i) => {
    const plugin = registry.get(connector.plugin)
    if (!plugin) {
      const why = registry.problem(connector.plugin)
      problems.push({
        path: `connectors[${i}].plugin`,
        message: why?.message ?? `unknown plugin '${connector.plugin}'`,
      })
      return
    }
    const result = plugin.descriptor.config.safeParse(connector.config)
    if (!result.success) {
      for (const p of issuesToProblems(result.error.issues)) {
        problems.push({
          path: `connectors[${i}].config${p.path ? `.${p.path}` : ''}`,
          message: p.message,
        })
      }
    }
  })
  return problems
}

export function formatProblems(label: string, problems: ConfigProblem[]): string {
  return problems.map((p) => `${label}: ${p.path || '(root)'}: ${p.message}`).join('\n')
}

export function invalid(label: string, problems: ConfigProblem[]): HostError {
  return new HostError(
    'CONFIG_INVALID',
    `${label} is invalid:\n${formatProblems(label, problems)}`,
    {
      details: { file: label, problems },
    },
  )
}

function readYaml(file: string): Record<string, unknown> {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (cause) {
    throw new HostError('CONFIG_NOT_FOUND', `cannot read config file ${file}`, { cause })
  }
  const doc = parseDocument(text, { prettyErrors: true })
  if (doc.errors.length > 0) {
    throw invalid(
      file,
      doc.errors.map((e) => ({
        path: e.linePos ? `line ${e.linePos[0].line}` : '',
        message: e.message.split('\n')[0]!,
      })),
    )
  }
  const value = doc.toJS() as unknown
  if (value === null || value === undefined) return {}
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(file, [
      { path: '', message: 'the top level must be a mapping (port:, connectors:, channels: …)' },
    ])
  }
  return value as Record<string, unknown>
}

function crossCheck(config: HostConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = []
  const ids = new Map<string, number>()
  config.connectors.forEach((c, i) => {
    const first = ids.get(c.id)
    if (first !== undefined) {
      problems.push({
        path: `connectors[${i}].id`,
        message: `'${c.id}' is already used by connectors[${first}]`,
      })
    } else ids.set(c.id, i)
  })
  const sids = new Map<string, number>()
  config.channels.forEach((ch, i) => {
    if (!ids.has(ch.connector)) {
      problems.push({
        path: `channels[${i}].connector`,
        message: `no connector with id '${ch.connector}'${ids.size ? ` (known: ${[...ids.keys()].join(', ')})` : ''}`,
      })
    }
    if (typeof ch.route === 'object') {
      const target = ch.route.connector
      if (!ids.has(target)) {
        problems.push({
          path: `channels[${i}].route.connector`,
          message: `no connector with id '${target}' to route to${ids.size ? ` (known: ${[...ids.keys()].join(', ')})` : ''}`,
        })
      } else if (target === ch.connector) {
        problems.push({
          path: `channels[${i}].route.connector`,
          message: `'${target}' is the channel's own connector; route to another connector, or use route: ccm`,
        })
      }
    }
    const first = sids.get(ch.serviceIdentifier)
    if (first !== undefined) {
      problems.push({
        path: `channels[${i}].serviceIdentifier`,
        message: `'${ch.serviceIdentifier}' is already served by channels[${first}]`,
      })
    } else sids.set(ch.serviceIdentifier, i)
  })
  return problems
}

function issuesToProblems(issues: z.core.$ZodIssue[]): ConfigProblem[] {
  return issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }))
}

function formatPath(path: PropertyKey[]): string {
  let out = ''
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`
    else out += out ? `.${String(key)}` : String(key)
  }
  return out
}
