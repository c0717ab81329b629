// The SMS provider for the SendSms benchmark: the test kit's HTTP provider simulator (what the
// generic-http connector posts to), plus `GET /count` on a second port with how many messages
// arrived, how many distinct ones, and when the first and the last came.
import { createServer } from 'node:http'
import { startHttpProviderSimulator } from '@plugboard/testkit'
import { emit, serveParent } from './child-io.js'

const simulator = await startHttpProviderSimulator()
let first = 0
let last = 0
const keys = new Set<string>()
simulator.on('message', (message) => {
  const now = performance.timeOrigin + performance.now()
  if (first === 0) first = now
  last = now
  keys.add(message.idempotencyKey)
})

const counter = createServer((req, res) => {
  if (req.url === '/reset') {
    simulator.clear()
    keys.clear()
    first = 0
    last = 0
  }
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end(JSON.stringify({ count: simulator.messages.length, unique: keys.size, first, last }))
})
counter.listen(0, '127.0.0.1', () => {
  const { port } = counter.address() as { port: number }
  emit({ url: simulator.outboundUrl, countUrl: `http://127.0.0.1:${port}` })
})
serveParent(async () => {
  counter.close()
  await simulator.close()
})
