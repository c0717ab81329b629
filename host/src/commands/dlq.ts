import {
  HostError,
  listDeadLetters,
  loadConfig,
  openSqlite,
  replayDeadLetters,
} from '@plugboard/core'
import { configFile, type Io } from './index.js'

/**
 * Works on the store file directly, so it also works while the host is down. A running host
 * notices replayed messages within a second and delivers them.
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
  let db: ReturnType<typeof openSqlite>
  try {
    const file = configFile(values.config, io)
    const { config } = loadConfig({ ...(file ? { file } : { raw: {} }), env: io.env })
    db = openSqlite({ path: config.store.path })
  } catch (error) {
    io.err(error instanceof HostError ? error.describe() : String(error))
    return 1
  }
  try {
    if (sub === 'list') {
      const letters = listDeadLetters(db, {
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
      const rows = replayDeadLetters(db, values.all ? undefined : values.id)
      io.out(`replayed ${rows.length} message(s)`)
      return 0
    }
    io.err('usage: plugboard dlq list|replay [--config FILE] …')
    return 1
  } finally {
    db.close()
  }
}
