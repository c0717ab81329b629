import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { test } from 'node:test'
import { isPluginError } from '@plugboard/sdk'
import { createHttpClient } from './client.js'

test('a provider that does not answer in time is a retryable TIMEOUT; a refused connection a NETWORK_ERROR', async (t) => {
  // Accepts the request and never answers.
  const silent = createServer(() => {})
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  t.after(() => {
    silent.closeAllConnections()
    silent.close()
  })
  const { port } = silent.address() as AddressInfo
  const client = createHttpClient({ timeoutMs: 100 })
  t.after(() => client.close())

  await assert.rejects(client(`http://127.0.0.1:${port}/slow?token=abc`), (error) => {
    assert.ok(isPluginError(error))
    assert.equal(error.kind, 'retryable')
    assert.equal(error.code, 'TIMEOUT')
    // Only the origin is named: query strings can carry credentials.
    assert.doesNotMatch(error.message, /token=abc/)
    return true
  })

  const closed = createServer()
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
  const closedPort = (closed.address() as AddressInfo).port
  await new Promise<void>((resolve) => closed.close(() => resolve()))
  await assert.rejects(client(`http://127.0.0.1:${closedPort}/`), (error) => {
    assert.ok(isPluginError(error))
    assert.equal(error.code, 'NETWORK_ERROR')
    assert.equal(error.kind, 'retryable')
    return true
  })
})
