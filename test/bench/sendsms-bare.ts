// The physical limit of AMQ SendSms → HTTP provider on this machine: a bare amqplib consumer
// (manual ack, same prefetch) that parses each SendSms and POSTs it to the provider with undici
// on a keep-alive pool, acking after the 2xx. No pipeline, no state, no retries.
// argv: AMQP_URL QUEUE PROVIDER_URL PREFETCH
import amqp from 'amqplib'
import { Agent, request } from 'undici'
import { emit, serveParent } from './child-io.js'

const [url, queue, providerUrl, prefetchText] = process.argv.slice(2)
if (!url || !queue || !providerUrl)
  throw new Error('usage: sendsms-bare.ts AMQP_URL QUEUE PROVIDER_URL [PREFETCH]')
const dispatcher = new Agent({ connections: 128, keepAliveTimeout: 30_000 })
const connection = await amqp.connect(url)
const channel = await connection.createChannel()
await channel.prefetch(Number(prefetchText ?? 100))
await channel.assertQueue(queue, { durable: true })
await channel.consume(queue, (raw) => {
  if (!raw) return
  const sms = JSON.parse(raw.content.toString()) as { number: string; text: string; id?: string }
  const body = JSON.stringify({
    id: sms.id,
    to: sms.number,
    from: '1000',
    type: 'PLAIN',
    text: sms.text,
  })
  request(providerUrl, {
    method: 'POST',
    dispatcher,
    headers: { 'content-type': 'application/json', 'idempotency-key': String(sms.id) },
    body,
  })
    .then(async (res) => {
      await res.body.dump()
      if (res.statusCode < 300) channel.ack(raw)
      else channel.nack(raw, false, true)
    })
    .catch(() => channel.nack(raw, false, true))
})
serveParent(async () => {
  await connection.close().catch(() => {})
  await dispatcher.close()
})
emit({ ready: true })
