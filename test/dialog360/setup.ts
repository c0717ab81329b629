// The e2e package does not list the plugin as a dependency; its source is imported directly.
import dialog360Plugin from '@plugboard/plugin-360dialog'
import {
  type CcmSimulator,
  type Dialog360Simulator,
  type Dialog360SimulatorOptions,
  type FileEngineSimulator,
  startCcmSimulator,
  startDialog360Simulator,
  startFileEngineSimulator,
  startTestHost,
  type TestHost,
} from '@plugboard/testkit'

/** The URL 360dialog is given; the simulator reaches the host behind it as through a proxy. */
export const PUBLIC = 'https://hooks.plugboard.test'
/** The WhatsApp number of the connector, and its channel's serviceIdentifier. */
export const NUMBER = '15550783881'

export interface Dialog360Loop {
  ccm: CcmSimulator
  d360: Dialog360Simulator
  fileEngine: FileEngineSimulator
  test: TestHost
  close(): Promise<void>
}

/**
 * A host with one 360dialog connector (one WhatsApp number) between a CCM simulator and a
 * 360dialog simulator, and a file engine for media. The connector registers its webhook URL and
 * token with the simulator at start, as in production with REGISTER-WEBHOOK.
 */
export async function startDialog360Loop(
  options: {
    simulator?: Dialog360SimulatorOptions
    retry?: Record<string, number>
    connector?: Record<string, unknown>
  } = {},
): Promise<Dialog360Loop> {
  const ccm = await startCcmSimulator()
  const d360 = await startDialog360Simulator({
    channels: [{ phoneNumber: NUMBER }],
    statusSequence: ['sent', 'delivered', 'read'],
    ...options.simulator,
  })
  const fileEngine = await startFileEngineSimulator()
  const test = await startTestHost({
    ccmUrl: ccm.url,
    plugins: [dialog360Plugin],
    connectors: [
      {
        id: 'd360',
        plugin: '360dialog',
        config: {
          apiKey: d360.channel.apiKey,
          hostUrl: d360.url,
          registerWebhook: true,
          webhookBaseUrl: `${PUBLIC}/webhooks/d360`,
          ...options.connector,
        },
      },
    ],
    channels: [{ serviceIdentifier: NUMBER, connector: 'd360', channelType: 'WHATSAPP' }],
    config: {
      fileEngine: { url: fileEngine.url },
      pipeline: { retry: { baseDelayMs: 20, maxDelayMs: 200, maxAttempts: 200, ...options.retry } },
    },
  })
  ccm.setHostUrl(test.url)
  d360.route(PUBLIC, test.url)
  await d360.waitForRegistration((r) => r.url === `${PUBLIC}/webhooks/d360/webhook`, {
    timeoutMs: 15_000,
  })
  return {
    ccm,
    d360,
    fileEngine,
    test,
    async close() {
      await test.stop()
      await Promise.all([ccm.close(), d360.close(), fileEngine.close()])
    },
  }
}

/** Waits until the pipeline has nothing left to deliver. */
export async function quiet(test: TestHost, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const stats = await test.host.pipeline.stats()
    if (stats.ready === 0 && stats.inFlight === 0) return
    if (Date.now() > deadline) throw new Error('timed out waiting for a quiet pipeline')
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** Matches CCM's delivery notifications about one outbound message. */
export const notificationsOf = (messageId: string) => (m: { body: unknown }) => {
  const body = m.body as { type?: string; messageId?: string }
  return body.type === 'DELIVERYNOTIFICATION' && body.messageId === messageId
}
