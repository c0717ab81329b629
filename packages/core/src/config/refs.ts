import { readFileSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import { HostError } from '../errors.js'

const REF = /\$\{(env|file):([^}]+)\}/g

/**
 * Replaces `${env:NAME}` and `${file:PATH}` in every string of the config, so secrets stay out of
 * the file. A string that is exactly one reference becomes the referenced value; file contents
 * lose one trailing newline. Paths are relative to the config file's folder.
 */
export function resolveRefs(
  value: unknown,
  ctx: {
    env: NodeJS.ProcessEnv
    baseDir: string
    path?: string
    /** Collects the files `${file:}` references read, so they can be watched too. */
    files?: Set<string>
  },
): unknown {
  const path = ctx.path ?? ''
  if (typeof value === 'string') return resolveString(value, ctx.env, ctx.baseDir, path, ctx.files)
  if (Array.isArray(value))
    return value.map((v, i) => resolveRefs(v, { ...ctx, path: `${path}[${i}]` }))
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        resolveRefs(v, { ...ctx, path: path ? `${path}.${k}` : k }),
      ]),
    )
  }
  return value
}

function resolveString(
  input: string,
  env: NodeJS.ProcessEnv,
  baseDir: string,
  path: string,
  files: Set<string> | undefined,
): string {
  return input.replace(REF, (_match, kind: string, name: string) => {
    const ref = name.trim()
    if (kind === 'env') {
      const v = env[ref]
      if (v === undefined) {
        throw new HostError(
          'CONFIG_REF_UNRESOLVED',
          `${path}: environment variable ${ref} is not set`,
        )
      }
      return v
    }
    const file = isAbsolute(ref) ? ref : resolve(baseDir, ref)
    files?.add(file)
    try {
      return readFileSync(file, 'utf8').replace(/\r?\n$/, '')
    } catch (cause) {
      throw new HostError('CONFIG_REF_UNRESOLVED', `${path}: cannot read ${file}`, { cause })
    }
  })
}
