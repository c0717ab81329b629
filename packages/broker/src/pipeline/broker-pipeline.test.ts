import { createSqliteStateStore, createWriter, openSqlite } from '@plugboard/core'
import { createMemoryServer } from '../../test/memory-broker.js'
import { pipelineContract } from '../../test/pipeline-contract.js'

const server = createMemoryServer()
const db = openSqlite({ path: ':memory:' })
const state = createSqliteStateStore(db, createWriter(db))

pipelineContract('in-memory broker, SQLite state', () => ({
  connect: () => server.connect({ prefetch: 50 }),
  state,
  restart: () => server.restart(30),
}))
