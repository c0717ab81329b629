import {
  createLogger,
  type DeadLetter,
  HostError,
  listDeadLetters,
  loadConfig,
  openSqlite,
  replayDeadLetters,
} from '@plugboard/core'
import { createBackends } from '../backends.js'
import { configFile, type Io } from './index.js'

interface DeadLetterAccess {
  list(options: { limit: number; connectorId?: string }): Promise<DeadLetter[]>
  replay(ids?: string[]): Promise<number>
  close(): Promise<void>
}

/**
 * Works on the store file directly, so it also works while the host is down. A running host
 * notices replayed messages within a second and delivers them. With the pipeline on a broker it
 * works on the broker's dead-letter queue, and replayed messages go straight back to their queues.
 */
export async function dlqCommand(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv
  const { values } = io.parseArgs({
    args: rest,
    options: {
      config: { type: 'string', short: 'c' },
      connector: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
      all: { type: 'boolean' },
      id: { type: 'string', multiple: true },
    },
  })
  let dlq: DeadLetterAccess
  try {
    const file = configFile(values.config, io)
    const { config } = loadConfig({ ...(file ? { file } : { raw: {} }), env: io.env })
    if (config.pipeline.backend === 'broker') {
      // The dead-letter queue is a broker queue: reached through the pipeline, not a file.
      const backends = await createBackends(config, createLogger({ level: 'silent' }))
      dlq = {
        list: (options) => backends.pipeline.listDead(options),
        replay: (ids) => backends.pipeline.replay(ids),
        close: async () => {
          await backends.pipeline.close()
          await backends.close()
        },
      }
    } else {
      const db = openSqlite({ path: config.store.path })
      dlq = {
        list: async (options) => listDeadLetters(db, options),
        replay: async (ids) => replayDeadLetters(db, ids).length,
        close: async () => {
          db.close()
        },
      }
    }
  } catch (error) {
    io.err(error instanceof HostError ? error.describe() : String(error))
    return 1
  }
  try {
    if (sub === 'list') {
      const letters = await dlq.list({
        limit: Number(values.limit ?? 100),
        ...(values.connector ? { connectorId: values.connector } : {}),
      })
      if (values.json) io.out(JSON.stringify(letters, null, 2))
      else if (letters.length === 0) io.out('the dead-letter queue is empty')
      else {
        for (const l of letters) {
          io.out(
            `${l.id}  ${l.direction.padEnd(8)} ${l.connectorId}  attempts=${l.attempts}  ${new Date(l.deadAt).toISOString()}`,
          )
          io.out(`    ${l.reason}`)
        }
      }
      return 0
    }
    if (sub === 'replay') {
      if (!values.all && !values.id?.length) {
        io.err('dlq replay needs --all or one or more --id ID')
        return 1
      }
      const replayed = await dlq.replay(values.all ? undefined : values.id)
      io.out(`replayed ${replayed} message(s)`)
      return 0
    }
    io.err('usage: plugboard dlq list|replay [--config FILE] …')
    return 1
  } finally {
    await dlq.close()
  }
}
