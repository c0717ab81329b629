import { runConformance } from '@plugboard/testkit'
import plugin from './index.js'

runConformance(plugin, {
  validConfig: {
    accountSid: 'ACf54d2c3e1b0a99887766554433221100',
    authToken: 'conformance-auth-token-value',
    webhookBaseUrl: 'https://hooks.example.com/webhooks/tw',
  },
  invalidConfigs: [
    {},
    { accountSid: 'ACf54d2c3e1b0a99887766554433221100' },
    { accountSid: 'not-a-sid', authToken: 'x' },
    {
      accountSid: 'ACf54d2c3e1b0a99887766554433221100',
      authToken: 'x',
      apiBaseUrl: 'not a url',
    },
  ],
})
