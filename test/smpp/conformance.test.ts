import smpp from '@plugboard/plugin-smpp'
import { runConformance } from '@plugboard/testkit'

// No SMSC listens on port 1: setup must still return at once, bind in the background and stop
// cleanly, and the password must stay out of the connect-failure logs.
runConformance(smpp, {
  validConfig: {
    host: '127.0.0.1',
    port: 1,
    systemId: 'conformance',
    password: 'conformance-secret',
    reconnectMinMs: 20,
  },
  invalidConfigs: [
    {},
    { host: '127.0.0.1', systemId: 'acct' },
    { host: '127.0.0.1', systemId: 'acct', password: 'pw', bindType: 5 },
    { host: '127.0.0.1', systemId: 'acct', password: 'pw', port: 70000 },
    { host: '127.0.0.1', systemId: 'acct', password: 'pw', concat: 'zip' },
  ],
})
