// Bare publish → consume loops on the local broker: the physical limit the broker drivers are
// compared with, in the same run. Each loop publishes N persistent messages with at most
// `window` waiting for the broker's confirm (0-9-1) or settlement (1.0), while a consumer with
// `prefetch` unacked messages acks each one; the time runs from the first publish to the last ack.
import { randomBytes } from 'node:crypto'
import amqp from 'amqplib'
import rhea from 'rhea'

export interface LoopSettings {
  /** amqp://user:pass@host:port (the 1.0 loop uses the same host, port and credentials). */
  url: string
  messages: number
  window: number
  prefetch: number
  bodyBytes: number
}

export interface LoopResult {
  messages: number
  ms: number
  perSec: number
}

export function result(messages: number, ms: number): LoopResult {
  return { messages, ms, perSec: (messages * 1000) / ms }
}

export function benchQueue(kind: string): string {
  return `bench.${kind}.${randomBytes(4).toString('hex')}`
}

/** Declares (or deletes) a plain durable queue over 0-9-1, outside the timed part. */
export async function withQueue<T>(url: string, queue: string, run: () => Promise<T>): Promise<T> {
  const connection = await amqp.connect(url)
  const channel = await connection.createChannel()
  await channel.assertQueue(queue, { durable: true })
  try {
    return await run()
  } finally {
    await channel.deleteQueue(queue).catch(() => {})
    await connection.close().catch(() => {})
  }
}

/** amqplib: a confirm channel publishing, a second channel consuming with manual acks. */
export async function bareAmqplibRoundTrip(settings: LoopSettings): Promise<LoopResult> {
  const queue = benchQueue('bare091')
  return withQueue(settings.url, queue, async () => {
    const connection = await amqp.connect(settings.url)
    try {
      const publisher = await connection.createConfirmChannel()
      const consumer = await connection.createChannel()
      await consumer.prefetch(settings.prefetch)
      const body = Buffer.alloc(settings.bodyBytes, 'x')
      let consumed = 0
      let allConsumed!: () => void
      const done = new Promise<void>((resolve) => {
        allConsumed = resolve
      })
      await consumer.consume(
        queue,
        (message) => {
          if (!message) return
          consumer.ack(message)
          if (++consumed === settings.messages) allConsumed()
        },
        { noAck: false },
      )
      const started = performance.now()
      let sent = 0
      let outstanding = 0
      await new Promise<void>((resolve, reject) => {
        const pump = () => {
          while (outstanding < settings.window && sent < settings.messages) {
            outstanding++
            sent++
            publisher.sendToQueue(
              queue,
              body,
              { persistent: true, messageId: String(sent) },
              (error) => {
                if (error) return reject(error)
                outstanding--
                if (sent === settings.messages && outstanding === 0) resolve()
                else pump()
              },
            )
          }
        }
        pump()
      })
      await done
      return result(settings.messages, performance.now() - started)
    } finally {
      await connection.close().catch(() => {})
    }
  })
}

/** rhea: one sender waiting for each delivery's outcome, one receiver accepting each message. */
export async function bareRheaRoundTrip(settings: LoopSettings): Promise<LoopResult> {
  const queue = benchQueue('bare10')
  const url = new URL(settings.url)
  return withQueue(settings.url, queue, async () => {
    const container = rhea.create_container()
    const connection = container.connect({
      host: url.hostname,
      port: Number(url.port || 5672),
      username: decodeURIComponent(url.username || 'guest'),
      password: decodeURIComponent(url.password || 'guest'),
      reconnect: false,
    })
    try {
      await new Promise<void>((resolve, reject) => {
        connection.once('connection_open', () => resolve())
        connection.once('disconnected', (context) =>
          reject(context.error ?? new Error('disconnected')),
        )
      })
      const address = `/amq/queue/${queue}`
      const body = rhea.message.data_section(Buffer.alloc(settings.bodyBytes, 'x'))
      let consumed = 0
      let allConsumed!: () => void
      const done = new Promise<void>((resolve) => {
        allConsumed = resolve
      })
      const receiver = connection.open_receiver({
        source: { address },
        autoaccept: false,
        credit_window: settings.prefetch,
      })
      receiver.on('message', (context) => {
        context.delivery?.accept()
        if (++consumed === settings.messages) allConsumed()
      })
      await new Promise<void>((resolve) => receiver.once('receiver_open', () => resolve()))
      const sender = connection.open_sender({ target: { address } })
      await new Promise<void>((resolve) => sender.once('sendable', () => resolve()))
      const started = performance.now()
      let sent = 0
      let outstanding = 0
      await new Promise<void>((resolve, reject) => {
        const pump = () => {
          while (outstanding < settings.window && sent < settings.messages && sender.sendable()) {
            outstanding++
            sent++
            sender.send({ durable: true, message_id: String(sent), body })
          }
        }
        sender.on('sendable', pump)
        sender.on('accepted', () => {
          outstanding--
          if (sent === settings.messages && outstanding === 0) resolve()
          else pump()
        })
        sender.on('rejected', () => reject(new Error('rejected')))
        sender.on('released', () => reject(new Error('released')))
        pump()
      })
      await done
      return result(settings.messages, performance.now() - started)
    } finally {
      await new Promise<void>((resolve) => {
        connection.once('connection_close', () => resolve())
        connection.once('disconnected', () => resolve())
        setTimeout(resolve, 2_000).unref()
        connection.close()
      })
      ;(connection as unknown as { socket?: { destroy(): void } }).socket?.destroy()
    }
  })
}
