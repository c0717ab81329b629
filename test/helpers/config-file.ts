import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const PLUGINS_DIR = fileURLToPath(new URL('../../plugins', import.meta.url))

/** Writes a YAML config (JSON is valid YAML) into a fresh temp folder; returns its path and folder. */
export function writeConfig(
  config: Record<string, unknown>,
  dir = mkdtempSync(join(tmpdir(), 'plugboard-e2e-')),
): { file: string; dir: string } {
  const file = join(dir, 'plugboard.yaml')
  writeFileSync(file, JSON.stringify(config, null, 2))
  return { file, dir }
}
