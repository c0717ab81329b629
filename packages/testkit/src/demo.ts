/**
 * `npm start`: the host in its demo configuration. A CCM simulator whose agent echoes every
 * customer message, a generic HTTP provider simulator standing in for the customer's channel, and
 * a real host between them with its embedded store. Prints the curl that sends a message round.
 */
import { createHost } from '@plugboard/host'
import { startCcmSimulator } from './ccm-simulator.js'
import { startHttpProviderSimulator } from './http-provider-simulator.js'

const port = Number(process.env.PORT ?? 8080)
const ccm = await startCcmSimulator({ echo: true })
const provider = await startHttpProviderSimulator({ autoReceipts: ['delivered', 'read'] })

const host = await createHost({
  config: {
    port,
    log: { level: process.env.LOG_LEVEL ?? 'warn' },
    publicUrl: `http://localhost:${port}`,
    ccm: { url: ccm.url },
    store: { path: process.env.PLUGBOARD_STORE ?? 'data/demo.db' },
    connectors: [
      { id: 'demo', plugin: 'generic-http', config: { outboundUrl: provider.outboundUrl } },
    ],
    channels: [{ serviceIdentifier: '1000', connector: 'demo', channelType: 'GENERIC' }],
  },
  env: { ...process.env, PORT: String(port) },
})
const url = await host.listen(port)
ccm.setHostUrl(url)
provider.setWebhookBase(`${url}/webhooks/demo`)

ccm.on(
  'message',
  (m: {
    body: { type: string; markdownText?: string | null; status?: string; messageId?: string }
    header: { channelData: { channelCustomerIdentifier: string } }
  }) => {
    const who = m.header.channelData.channelCustomerIdentifier
    if (m.body.type === 'DELIVERYNOTIFICATION')
      console.log(`[ccm]      receipt for ${m.body.messageId}: ${m.body.status}`)
    else
      console.log(
        `[ccm]      message from ${who}: ${m.body.markdownText}  (the demo agent answers "Echo: …")`,
      )
  },
)
provider.on('message', (m: { to: string; text?: string }) =>
  console.log(`[provider] delivered to ${m.to}: ${m.text}`),
)

console.log(`
Plugboard demo is running on ${url}
  CCM simulator:      ${ccm.url}   (echo agent on)
  provider simulator: ${provider.outboundUrl}

Send a customer message round the loop:

  curl -s -X POST ${url}/webhooks/demo/message -H 'content-type: application/json' \\
    -d '{"id":"msg-1","from":"+15550100","to":"1000","text":"Hello from the demo"}'

Then watch: customer → host → CCM → agent reply → host → provider → receipts → CCM.
Also: ${url}/metrics, ${url}/readyz. Stop with Ctrl+C.
`)

let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    if (stopping) return
    stopping = true
    await host.stop()
    await Promise.all([ccm.close(), provider.close()])
    process.exit(0)
  })
}
