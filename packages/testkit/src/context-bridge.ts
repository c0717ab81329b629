/**
 * A loopback HTTP server that hands each request to a test context's routes, so a simulator can
 * post real, signed webhooks to a connector that runs without a host.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { TestContext } from './test-context.js'

export async function bridgeTo<C>(
  ctx: TestContext<C>,
  prefix: string,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const url = new URL(req.url ?? '/', 'http://bridge')
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string') headers[name] = value
    }
    try {
      const answer = await ctx.call(req.method ?? 'GET', url.pathname.slice(prefix.length), {
        body: Buffer.concat(chunks),
        headers,
        query: url.search,
      })
      const answerHeaders: Record<string, string> = {}
      answer.headers.forEach((value, name) => {
        answerHeaders[name] = value
      })
      res.writeHead(answer.status, answerHeaders)
      res.end(Buffer.from(await answer.arrayBuffer()))
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' })
      res.end(String(error))
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
