import { runConformance } from '@plugboard/testkit'
import plugin from './index.js'

runConformance(plugin, {
  validConfig: {
    appSecret: 'conformance-app-secret',
    verifyToken: 'conformance-verify-token',
    pageAccessToken: 'EAAconformancepagetoken',
    pageTokens: { '100000000000001': 'EAAconformanceothertoken' },
  },
  invalidConfigs: [
    {},
    { verifyToken: 'v' },
    { pageAccessToken: 'EAAx' },
    { verifyToken: 'v', pageAccessToken: 'EAAx', apiBaseUrl: 'not a url' },
    { verifyToken: 'v', pageTokens: { 'not-a-page-id': 'EAAx' } },
  ],
})
