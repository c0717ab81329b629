import { runConformance } from '@plugboard/testkit'
import plugin from './index.js'

const valid = {
  channelId: 'chat_0123456789abcdef',
  apiUrl: 'https://api-de-na1.niceincontact.com',
  accessKeyId: 'AKCONFORMANCE0001',
  accessKeySecret: 'conformance-access-key-secret',
  clientId: 'conformance-client',
  clientSecret: 'conformance-client-secret',
  middlewareClientId: 'byoc-middleware',
  middlewareClientSecret: 'conformance-middleware-secret',
}

runConformance(plugin, {
  validConfig: valid,
  invalidConfigs: [
    {},
    { ...valid, apiUrl: 'not a url' },
    { ...valid, accessKeySecret: '' },
    { ...valid, middlewareClientSecret: 'short' },
    { ...valid, afterAgentEnd: 'ignore' },
  ],
})
