import genericHttp from '@plugboard/plugin-generic-http'
import { runConformance } from '@plugboard/testkit'

// Every first-party plugin runs the same suite third-party authors run.
runConformance(genericHttp, {
  validConfig: {
    outboundUrl: 'https://gateway.example.com/send',
    sharedSecret: 'conformance-secret-value',
  },
  invalidConfigs: [{}, { outboundUrl: 'not a url' }, { outboundUrl: 'ftp://example.com' }],
})
