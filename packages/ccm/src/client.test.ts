import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { after, before, test } from 'node:test'
import { inboundMessage, isPluginError, text } from '@plugboard/sdk'
import { createCcmClient } from './client.js'

let answer: { status: number; headers?: Record<string, string> } = { status: 200 }
const paths: string[] = []
const server = createServer((req, res) => {
  paths.push(`${req.method} ${req.url}`)
  req.resume()
  req.on('end', () => {
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
    res.end('{"error":"x"}')
  })
})
let url = ''
before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/ccm/`
})
after(() => server.close())

const message = inboundMessage({ serviceIdentifier: '1', customerId: 'c', body: text('hi') })

test('posts to {CCM_URL}/message/receive and accepts 2xx', async () => {
  const ccm = createCcmClient({ url })
  answer = { status: 200 }
  await ccm.deliver(message)
  assert.equal(paths.at(-1), 'POST /ccm/message/receive')
  await ccm.close()
})

test('classifies CCM answers as terminal, auth or retryable', async () => {
  const ccm = createCcmClient({ url })
  const cases: [number, string, Record<string, string>?, number?][] = [
    [400, 'terminal'],
    [404, 'terminal'],
    [401, 'auth'],
    [503, 'retryable', { 'retry-after': '7' }, 7000],
    [429, 'retryable'],
  ]
  for (const [status, kind, headers, retryAfterMs] of cases) {
    answer = { status, ...(headers ? { headers } : {}) }
    const error = await ccm.deliver(message).then(
      () => undefined,
      (e: unknown) => e,
    )
    assert.ok(isPluginError(error), `${status} throws a PluginError`)
    assert.equal(error.kind, kind, `${status}`)
    assert.equal(error.providerCode, String(status))
    if (retryAfterMs !== undefined) assert.equal(error.retryAfterMs, retryAfterMs)
  }
  await ccm.close()
})

test('an unreachable CCM is retryable', async () => {
  const ccm = createCcmClient({ url: 'http://127.0.0.1:1', timeoutMs: 2000 })
  const error = await ccm.deliver(message).catch((e: unknown) => e)
  assert.ok(isPluginError(error) && error.kind === 'retryable' && error.code === 'CCM_UNREACHABLE')
  await ccm.close()
})
