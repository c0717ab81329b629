// Broker driver benchmark: our 0-9-1 and 1.0 drivers against the bare amqplib and rhea loops
// (broker-baseline.ts) on the local broker, interleaved, same settings, in the same run.
// Run: node --import tsx test/bench/broker.ts   (BROKER_URL, BENCH_MESSAGES, BENCH_ROUNDS)
import os from 'node:os'
import { createBroker } from '@plugboard/broker'
import { createLogger } from '@plugboard/core'
import amqp from 'amqplib'
import {
  bareAmqplibRoundTrip,
  bareRheaRoundTrip,
  benchQueue,
  type LoopResult,
  type LoopSettings,
  result,
} from './broker-baseline.js'
import { median } from './report.js'
import { RESULTS_FILE, writeSection } from './results-file.js'

const settings: LoopSettings = {
  url: process.env.BROKER_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
  messages: Number(process.env.BENCH_MESSAGES ?? 20_000),
  window: 500,
  prefetch: 500,
  bodyBytes: 200,
}
const rounds = Number(process.env.BENCH_ROUNDS ?? 3)
const log = createLogger({ level: process.env.LOG_LEVEL ?? 'silent' })

/** The same loop through our Broker interface: publish with a window, consume with acks. */
async function driverRoundTrip(protocol: 'amqp091' | 'amqp10'): Promise<LoopResult> {
  const queue = benchQueue(`ours-${protocol}`)
  const broker = createBroker({
    protocol,
    primary: { url: settings.url },
    prefetch: settings.prefetch,
    log,
  })
  await broker.connect()
  try {
    await broker.assertQueue({ name: queue })
    const body = Buffer.alloc(settings.bodyBytes, 'x')
    let consumed = 0
    let allConsumed!: () => void
    const done = new Promise<void>((resolve) => {
      allConsumed = resolve
    })
    await broker.consume(queue, (message) => {
      message.ack()
      if (++consumed === settings.messages) allConsumed()
    })
    const started = performance.now()
    let next = 0
    const lane = async () => {
      while (next < settings.messages) {
        next++
        await broker.publish(queue, body, { messageId: String(next) })
      }
    }
    await Promise.all(Array.from({ length: settings.window }, lane))
    await done
    return result(settings.messages, performance.now() - started)
  } finally {
    await broker.close()
    await deleteQueues(queue, `${queue}.dlq`)
  }
}

async function deleteQueues(...queues: string[]): Promise<void> {
  const connection = await amqp.connect(settings.url)
  const channel = await connection.createChannel()
  for (const queue of queues) await channel.deleteQueue(queue).catch(() => {})
  await connection.close()
}

const cases = [
  {
    name: 'AMQP 0-9-1',
    ours: () => driverRoundTrip('amqp091'),
    bare: () => bareAmqplibRoundTrip(settings),
  },
  {
    name: 'AMQP 1.0',
    ours: () => driverRoundTrip('amqp10'),
    bare: () => bareRheaRoundTrip(settings),
  },
]

const measured = cases.map(() => ({ ours: [] as number[], bare: [] as number[] }))
// Warm-up: JIT, broker queue processes, TCP.
for (const c of cases) {
  await c.bare()
  await c.ours()
}
for (let round = 1; round <= rounds; round++) {
  for (const [i, c] of cases.entries()) {
    // Alternate which goes first, so a noisy neighbour does not always hit the same one.
    const order = round % 2 ? [c.ours, c.bare] : [c.bare, c.ours]
    for (const run of order) {
      const r = await run()
      ;(run === c.ours ? measured[i]!.ours : measured[i]!.bare).push(r.perSec)
      console.log(
        `${c.name} ${run === c.ours ? 'ours' : 'bare'} round ${round}: ${Math.round(r.perSec)} msg/s`,
      )
    }
  }
}

const int = (n: number) => Math.round(n).toLocaleString('en-US')
const range = (values: number[]) => `${int(Math.min(...values))}–${int(Math.max(...values))}`
const rows = cases.map((c, i) => {
  const ours = median(measured[i]!.ours)
  const bare = median(measured[i]!.bare)
  return `| ${c.name} publish (confirmed) → consume (acked) | ${int(ours)} (${range(measured[i]!.ours)}) | ${int(bare)} (${range(measured[i]!.bare)}) | ${(ours / bare).toFixed(2)} |`
})
const brokerVersion = await (async () => {
  const connection = await amqp.connect(settings.url)
  const version = connection.connection.serverProperties.version
  await connection.close()
  return version
})()
const markdown = `## Broker drivers vs bare client loops

${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version},
RabbitMQ ${brokerVersion} on loopback. ${settings.messages.toLocaleString('en-US')} persistent ${settings.bodyBytes} B
messages per run into a fresh classic durable queue; at most ${settings.window} publishes awaiting their
confirm/settlement; consumer prefetch (credit) ${settings.prefetch}, one ack per message. Median of
${rounds} interleaved rounds (range), msgs/s from the first publish to the last ack.

| loop | ours msg/s | bare msg/s | ours / bare |
|---|---:|---:|---:|
${rows.join('\n')}

"Bare" is amqplib or rhea used directly with no reconnect, no failover, no per-message
bookkeeping: \`test/bench/broker-baseline.ts\`. Ours: \`createBroker()\` from \`@plugboard/broker\`.
The bare rhea loop lets rhea top up credit as it likes, which RabbitMQ before 3.13 answers by
overshooting the prefetch; ours grants credit only once it is used up on those versions, which
keeps the prefetch and costs part of the 1.0 gap.
Run again with \`node --import tsx test/bench/broker.ts\` (\`BENCH_MESSAGES\`, \`BENCH_ROUNDS\`,
\`BROKER_URL\`).`

console.log(`\n${markdown}`)
writeSection('broker-drivers', markdown)
console.log(`\nwritten to ${RESULTS_FILE}`)
