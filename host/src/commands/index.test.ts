import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseArgs } from 'node:util'
import { main } from './index.js'

function io() {
  const out: string[] = []
  const err: string[] = []
  return {
    out,
    err,
    io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env: {}, parseArgs },
  }
}

test('prints usage for help and refuses unknown commands', async () => {
  const help = io()
  assert.equal(await main(['help'], help.io), 0)
  assert.match(help.out.join('\n'), /plugboard <command>[\s\S]*dlq replay/)
  const unknown = io()
  assert.equal(await main(['frobnicate'], unknown.io), 1)
  assert.match(unknown.err.join('\n'), /unknown command 'frobnicate'/)
})

test('check-config without a file says how to give one', async () => {
  const run = io()
  assert.equal(await main(['check-config'], run.io), 1)
  assert.match(run.err.join('\n'), /--config FILE \(or PLUGBOARD_CONFIG\)/)
})
