// The SMSC for the SMPP benchmark, in its own process so its CPU is not the clients' CPU.
import { startSmscSimulator } from '@plugboard/testkit'
import { emit, serveParent } from './child-io.js'

const smsc = await startSmscSimulator({
  accounts: [{ systemId: 'bench', password: 'bench' }],
  receipts: false,
  record: false,
})
emit({ port: smsc.port })
serveParent(() => smsc.close())
