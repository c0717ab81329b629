// The physical limit of AMQ SendSms → SMPP on this machine: a bare amqplib consumer (manual ack,
// same prefetch) that parses each SendSms and submits it with the `smpp` package on one
// transceiver bind (data_coding 0, no receipt asked), acking on a successful submit_sm_resp. No
// pipeline, no state, no window of its own (the prefetch bounds what is in flight), no retries.
// argv: AMQP_URL QUEUE SMSC_PORT PREFETCH
import amqp from 'amqplib'
import smpp, { type PDU, type Session } from 'smpp'
import { emit, serveParent } from './child-io.js'

const [url, queue, smscPort, prefetchText] = process.argv.slice(2)
if (!url || !queue || !smscPort)
  throw new Error('usage: sendsms-smpp-bare.ts AMQP_URL QUEUE SMSC_PORT [PREFETCH]')

const session: Session = await new Promise((resolve, reject) => {
  const s = smpp.connect({ url: `smpp://127.0.0.1:${smscPort}` }, () => resolve(s))
  s.on('error', reject)
})
await new Promise<void>((resolve, reject) =>
  session.bind_transceiver({ system_id: 'bench', password: 'bench' }, (pdu: PDU) =>
    pdu.command_status === 0 ? resolve() : reject(new Error(`bind ${pdu.command_status}`)),
  ),
)

const connection = await amqp.connect(url)
const channel = await connection.createChannel()
await channel.prefetch(Number(prefetchText ?? 100))
await channel.assertQueue(queue, { durable: true })
await channel.consume(queue, (raw) => {
  if (!raw) return
  const sms = JSON.parse(raw.content.toString()) as { number: string; text: string; id?: string }
  session.submit_sm(
    {
      source_addr: '1000',
      source_addr_ton: 0,
      source_addr_npi: 1,
      destination_addr: sms.number.replace(/^\+/, ''),
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      registered_delivery: 0,
      data_coding: 0,
      short_message: sms.text,
    },
    (pdu: PDU) => {
      if (pdu.command_status === 0) channel.ack(raw)
      else channel.nack(raw, false, true)
    },
  )
})
serveParent(async () => {
  await connection.close().catch(() => {})
  await new Promise<void>((resolve) => session.close(() => resolve()))
})
emit({ ready: true })
