import { existsSync, mkdirSync, openSync, renameSync, rmSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { pino } from 'pino'

export interface RotatingFileOptions {
  path: string
  /** Rotate once the current file reaches this many bytes (LOG_FILE_SIZE). */
  maxBytes: number
  /** Rotated files kept beside the current one: `<path>.1` (newest) … `<path>.N` (LOG_BACKUP_FILES). */
  backups: number
}

export interface RotatingFile {
  write(chunk: string): boolean
  flushSync(): void
  end(): void
}

/**
 * A size-rotated log file: `app.log`, `app.log.1` … `app.log.N`. Rotation flushes what is
 * buffered, renames the files and opens a fresh one, so no line is lost or split across files.
 */
export function createRotatingFile(options: RotatingFileOptions): RotatingFile {
  mkdirSync(dirname(options.path), { recursive: true })
  // Opened synchronously, so the file exists (and can be renamed) from the first line on.
  const open = () => pino.destination({ fd: openSync(options.path, 'a'), sync: false })
  let current = open()
  let written = existsSync(options.path) ? statSync(options.path).size : 0
  const name = (n: number) => `${options.path}.${n}`
  const rotate = () => {
    // Buffered lines go to the file they were written for before it is renamed.
    current.flushSync()
    const old = current
    if (options.backups <= 0) {
      rmSync(options.path, { force: true })
    } else {
      rmSync(name(options.backups), { force: true })
      for (let n = options.backups - 1; n >= 1; n--) {
        if (existsSync(name(n))) renameSync(name(n), name(n + 1))
      }
      renameSync(options.path, name(1))
    }
    current = open()
    written = 0
    old.end()
  }
  return {
    write(chunk) {
      written += Buffer.byteLength(chunk)
      const ok = current.write(chunk)
      if (written >= options.maxBytes) rotate()
      return ok
    },
    flushSync: () => current.flushSync(),
    end: () => current.end(),
  }
}

/** `10485760`, `10MB`, `10m`, `512k`, `1g` → bytes. */
export function parseSize(value: string | number): number {
  if (typeof value === 'number') return value
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)i?b?\s*$/i.exec(value)
  if (!match) return Number.NaN
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[match[2]!.toLowerCase() as '' | 'k']
  return Math.round(Number(match[1]) * unit)
}
