import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs'
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
  /** pino's `logger.flush(cb)` lands here. */
  flush(cb?: (error?: Error) => void): void
  flushSync(): void
  end(): void
}

/**
 * A size-rotated log file: `app.log`, `app.log.1` … `app.log.N`: when the current file reaches
 * its size, the files are renamed one step older and a fresh one is opened.
 */
export function createRotatingFile(options: RotatingFileOptions): RotatingFile {
  mkdirSync(dirname(options.path), { recursive: true })
  // Synchronous writes: a rotation then never races a write in flight, so no line is lost,
  // doubled or split across files. The host logs per connector event, not per message, at info.
  const open = () => pino.destination({ dest: options.path, mkdir: true, sync: true })
  let current = open()
  let written = existsSync(options.path) ? statSync(options.path).size : 0
  const name = (n: number) => `${options.path}.${n}`
  const rotate = () => {
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
    flush: (cb) => current.flush(cb),
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
