import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { parseSize } from './log-file.js'
import { createLogger } from './logger.js'

test('sizes parse from bytes and units', () => {
  assert.equal(parseSize('10MB'), 10 * 1024 * 1024)
  assert.equal(parseSize('512k'), 512 * 1024)
  assert.equal(parseSize(2048), 2048)
  assert.equal(parseSize('1.5g'), Math.round(1.5 * 1024 ** 3))
  assert.ok(Number.isNaN(parseSize('lots')))
})

test('the log file rotates at its size and keeps the set number of old files, losing no line', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'plugboard-log-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const path = join(dir, 'plugboard.log')
  const log = createLogger({
    level: 'info',
    destination: path,
    rotate: { maxBytes: 4096, backups: 3 },
  })
  for (let i = 0; i < 100; i++)
    log.info({ i }, 'a line of about one hundred bytes, give or take a few')
  const files = readdirSync(dir).sort()
  assert.deepEqual(files, [
    'plugboard.log',
    'plugboard.log.1',
    'plugboard.log.2',
    'plugboard.log.3',
  ])
  for (const f of files) assert.ok(statSync(join(dir, f)).size < 4096 + 512, `${f} is bounded`)
  // The newest lines are in the current file and .1, in order, none missing between them.
  const lines = [...files]
    .reverse()
    .filter((f) => f !== 'plugboard.log')
    .concat('plugboard.log')
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').trim().split('\n'))
    .map((l) => (JSON.parse(l) as { i: number }).i)
  assert.equal(lines.at(-1), 99)
  for (let k = 1; k < lines.length; k++) assert.equal(lines[k], lines[k - 1]! + 1)
  assert.equal(existsSync(join(dir, 'plugboard.log.4')), false)
})
