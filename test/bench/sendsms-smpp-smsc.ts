// The SMSC for the SendSms → SMPP benchmark: the test kit's SMSC simulator in its own process (no
// receipts), plus a small HTTP counter on a second port. `GET /count` is cheap (submits accepted
// since the last reset) and is what the parent polls; `GET /summary?from=N` is read once per round:
// distinct messages (destination + text) and when the first, the N-th and the last submit arrived.
import { createServer } from 'node:http'
import { startSmscSimulator } from '@plugboard/testkit'
import { emit, serveParent } from './child-io.js'

const smsc = await startSmscSimulator({
  accounts: [{ systemId: 'bench', password: 'bench' }],
  receipts: false,
  record: true,
})
// The recorder cannot be cleared; a round reads the submits after its offset.
let offset = 0

const counter = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost')
  let body: Record<string, unknown>
  if (url.pathname === '/reset') {
    offset = smsc.submits.length
    body = { count: 0 }
  } else if (url.pathname === '/summary') {
    const from = Number(url.searchParams.get('from') ?? 0)
    const round = smsc.submits.slice(offset)
    const keys = new Set(round.map((s) => `${s.destination}|${s.text}`))
    body = {
      count: round.length,
      unique: keys.size,
      first: round[0]?.at ?? 0,
      from: round[Math.min(from, round.length - 1)]?.at ?? 0,
      last: round.at(-1)?.at ?? 0,
      dataCodings: [...new Set(round.map((s) => s.dataCoding))],
      rejected: smsc.rejected.length,
    }
  } else {
    body = { count: smsc.submits.length - offset }
  }
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
})
counter.listen(0, '127.0.0.1', () => {
  const { port } = counter.address() as { port: number }
  emit({ port: smsc.port, countUrl: `http://127.0.0.1:${port}` })
})
serveParent(async () => {
  counter.close()
  await smsc.close()
})
