// The physical limit of DESIGN §9: the same webhook relayed to the same sink by hono and
// undici.request, with nothing durable, no de-duplication and no ordering in between.
import { randomUUID } from 'node:crypto'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { Agent, request } from 'undici'
import { emit, serveParent } from './child-io.js'

const sinkUrl = process.argv[2]
if (!sinkUrl) throw new Error('usage: bare-relay.ts SINK_URL [PORT]')
const port = Number(process.argv[3] ?? 0)
const endpoint = `${sinkUrl}/message/receive`
// Same pool settings as the host's CCM client, so both sides get the same number of sockets.
const agent = new Agent({ connections: 128, keepAliveTimeout: 30_000 })

interface Payload {
  id?: unknown
  from?: unknown
  to?: unknown
  text?: unknown
}

const app = new Hono()
app.post('/webhooks/:connectorId/message', async (c) => {
  let payload: Payload
  try {
    payload = (await c.req.json()) as Payload
  } catch {
    return c.json({ error: { code: 'INVALID_PAYLOAD' } }, 400)
  }
  const { id, from, to, text } = payload
  if (typeof id !== 'string' || typeof from !== 'string' || typeof to !== 'string') {
    return c.json({ error: { code: 'INVALID_PAYLOAD' } }, 400)
  }
  const message = {
    id: randomUUID(),
    header: {
      sender: { id: c.req.param('connectorId'), type: 'CONNECTOR', senderName: 'bench' },
      channelData: { channelCustomerIdentifier: from, serviceIdentifier: to, requestPriority: 0 },
      timestamp: Date.now(),
      providerMessageId: id,
    },
    body: { type: 'PLAIN', markdownText: typeof text === 'string' ? text : '' },
  }
  const res = await request(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(message),
    dispatcher: agent,
  })
  await res.body.dump()
  if (res.statusCode >= 300) return c.json({ error: { code: 'UPSTREAM' } }, 502)
  return c.json({ status: 'accepted', id: message.id })
})

const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, (info) => {
  emit({ url: `http://127.0.0.1:${info.port}` })
})
serveParent(async () => {
  await new Promise<void>((resolve) => {
    server.close(() => resolve())
    ;(server as { closeAllConnections?: () => void }).closeAllConnections?.()
  })
  await agent.close()
})
