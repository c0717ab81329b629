import twilioPlugin from '@plugboard/plugin-twilio'
import {
  type CcmSimulator,
  type FileEngineSimulator,
  type StatusStep,
  startCcmSimulator,
  startFileEngineSimulator,
  startTestHost,
  startTwilioSimulator,
  type TestHost,
  type TwilioSimulator,
} from '@plugboard/testkit'

/** The URL Twilio is configured with; the simulator reaches the host behind it as through a proxy. */
export const PUBLIC = 'https://hooks.plugboard.test'
export const SMS_NUMBER = '+15550100'
export const WHATSAPP_NUMBER = 'whatsapp:+15550111'

export interface TwilioLoop {
  ccm: CcmSimulator
  twilio: TwilioSimulator
  fileEngine: FileEngineSimulator
  test: TestHost
  close(): Promise<void>
}

/**
 * A host with one Twilio connector (an SMS and a WhatsApp channel) between a CCM simulator and a
 * Twilio simulator, and a file engine for media.
 */
export async function startTwilioLoop(
  options: {
    statusSequence?: StatusStep[]
    retry?: Record<string, number>
    connector?: Record<string, unknown>
  } = {},
): Promise<TwilioLoop> {
  const ccm = await startCcmSimulator()
  const twilio = await startTwilioSimulator({
    statusSequence: options.statusSequence ?? ['sent', 'delivered', 'read'],
    webhookUrl: `${PUBLIC}/webhooks/tw/message`,
  })
  const fileEngine = await startFileEngineSimulator()
  const test = await startTestHost({
    ccmUrl: ccm.url,
    plugins: [twilioPlugin],
    connectors: [
      {
        id: 'tw',
        plugin: 'twilio',
        config: {
          accountSid: twilio.account.sid,
          authToken: twilio.account.authToken,
          apiBaseUrl: twilio.url,
          webhookBaseUrl: `${PUBLIC}/webhooks/tw`,
          ...options.connector,
        },
      },
    ],
    channels: [
      { serviceIdentifier: SMS_NUMBER, connector: 'tw', channelType: 'SMS' },
      { serviceIdentifier: WHATSAPP_NUMBER, connector: 'tw', channelType: 'WHATSAPP' },
    ],
    config: {
      fileEngine: { url: fileEngine.url },
      pipeline: { retry: { baseDelayMs: 20, maxDelayMs: 200, maxAttempts: 200, ...options.retry } },
    },
  })
  ccm.setHostUrl(test.url)
  twilio.route(PUBLIC, test.url)
  return {
    ccm,
    twilio,
    fileEngine,
    test,
    async close() {
      await test.stop()
      await Promise.all([ccm.close(), twilio.close(), fileEngine.close()])
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
