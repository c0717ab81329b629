// Stands in for CCM: takes `POST /message/receive`, counts messages and distinct ids.
import { createServer } from 'node:http'
import { emit, serveParent } from './child-io.js'

let count = 0
const ids = new Set<string>()

const server = createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/message/receive') {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      count++
      try {
        const id = (JSON.parse(Buffer.concat(chunks).toString()) as { id?: unknown }).id
        if (typeof id === 'string') ids.add(id)
      } catch {
        // Counted but without an id: shows up as count > unique.
      }
      res.writeHead(200, { 'content-length': '0' })
      res.end()
    })
    return
  }
  if (req.method === 'GET' && req.url === '/count') {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ count, unique: ids.size }))
    return
  }
  res.writeHead(404)
  res.end()
})
// Longer than the relays' idle pools, so the sink never closes a connection they are about to reuse.
server.keepAliveTimeout = 60_000

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number }
  emit({ url: `http://127.0.0.1:${port}` })
})
serveParent(
  () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    }),
)
