import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { benchDir } from './children.js'

export const RESULTS_FILE = join(benchDir, 'RESULTS.md')

/**
 * Each benchmark owns one section of RESULTS.md, between markers, so running one benchmark
 * updates its numbers and leaves the others' in place.
 */
export function writeSection(name: string, markdown: string, file = RESULTS_FILE): void {
  const start = `<!-- bench:${name}:start -->`
  const end = `<!-- bench:${name}:end -->`
  const block = `${start}\n${markdown.trim()}\n${end}`
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n'
  const from = current.indexOf(start)
  const to = current.indexOf(end)
  const next =
    from >= 0 && to > from
      ? `${current.slice(0, from)}${block}${current.slice(to + end.length)}`
      : `${current.trimEnd()}\n\n${block}\n`
  writeFileSync(file, next)
}

/** A whole results document turned into a section: its title replaced, its headings one level down. */
export function asSection(document: string, title: string): string {
  const lines = document.trim().split('\n')
  if (lines[0]?.startsWith('# ')) lines[0] = `# ${title}`
  return lines.map((l) => (l.startsWith('#') ? `#${l}` : l)).join('\n')
}
