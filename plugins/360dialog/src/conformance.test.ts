import { runConformance } from '@plugboard/testkit'
import plugin from './index.js'

runConformance(plugin, {
  validConfig: {
    apiKey: 'conformance-api-key-value',
    webhookToken: 'conformance-webhook-token',
    partnerSecret: undefined,
    webhookBaseUrl: 'https://hooks.example.com/webhooks/d360',
  },
  invalidConfigs: [
    {},
    { webhookToken: 'conformance-webhook-token' },
    { apiKey: 'k' },
    { apiKey: 'k', webhookToken: 'conformance-webhook-token', hostUrl: 'not a url' },
    { apiKey: 'k', webhookToken: 'conformance-webhook-token', timeoutMs: -1 },
  ],
})
