/** A CRM's REST endpoint over real HTTP: checks basic auth, records reports, fails on demand. */
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface CrmSimulator {
  url: string
  /** Reports accepted (JSON bodies), in arrival order. */
  readonly reports: Record<string, unknown>[]
  /** Requests refused for missing or wrong credentials. */
  readonly unauthorized: number
  /** The next `n` requests are answered with `status`. */
  failNext(n: number, status: number): void
  close(): Promise<void>
}

export async function startCrmSimulator(user: string, password: string): Promise<CrmSimulator> {
  const reports: Record<string, unknown>[] = []
  const failures: number[] = []
  let unauthorized = 0
  const expected = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
  const read = async (req: IncomingMessage) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks).toString('utf8')
  }
  const server = createServer((req, res) => {
    void read(req).then((body) => {
      const failure = failures.shift()
      if (failure !== undefined) {
        res.writeHead(failure).end()
        return
      }
      if (req.headers.authorization !== expected) {
        unauthorized++
        res.writeHead(401, { 'www-authenticate': 'Basic' }).end()
        return
      }
      reports.push(JSON.parse(body) as Record<string, unknown>)
      res.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/sms/delivery`,
    reports,
    get unauthorized() {
      return unauthorized
    },
    failNext(n, status) {
      for (let i = 0; i < n; i++) failures.push(status)
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
