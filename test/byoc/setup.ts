import byocPlugin, {
  createByocPlugin,
  createFakeClock,
  type FakeClock,
} from '@plugboard/plugin-byoc'
import twilioPlugin from '@plugboard/plugin-twilio'
import {
  type CcmSimulator,
  type CxoneSimulator,
  type CxoneThread,
  startCcmSimulator,
  startCxoneSimulator,
  startTestHost,
  startTwilioSimulator,
  type TestHost,
  type TwilioSimulator,
} from '@plugboard/testkit'

/** The URL Twilio is configured with; the simulator reaches the host behind it as through a proxy. */
export const PUBLIC = 'https://hooks.plugboard.test'
export const SMS_NUMBER = '+15550100'
/** How long end-to-end waits allow: generous, since a loaded machine is slow, never wrong. */
export const LONG = { timeoutMs: 15_000 }
export const MIDDLEWARE = {
  clientId: 'cxone-byoc-integration',
  clientSecret: 'middleware-secret-0123456789abcdef',
}

export interface ByocLoop {
  ccm: CcmSimulator
  twilio: TwilioSimulator
  cxone: CxoneSimulator
  test: TestHost
  /** The BYOC plugin's clock: idle timers and token lifetimes move only when advanced. */
  clock: FakeClock
  close(): Promise<void>
}

/**
 * A host with a Twilio connector whose SMS channel is routed to a BYOC connector: customers
 * text the number, CXone agents (the simulator's) answer. CCM is there to show nothing reaches it.
 */
export async function startByocLoop(
  options: {
    byoc?: Record<string, unknown>
    statusSequence?: ('sent' | 'delivered' | 'read')[]
  } = {},
): Promise<ByocLoop> {
  const ccm = await startCcmSimulator()
  const twilio = await startTwilioSimulator({
    statusSequence: options.statusSequence ?? ['sent', 'delivered'],
    webhookUrl: `${PUBLIC}/webhooks/tw/message`,
  })
  const cxone = await startCxoneSimulator({ timeoutHoldMs: 3_000 })
  const clock = createFakeClock()
  const test = await startTestHost({
    ccmUrl: ccm.url,
    plugins: [twilioPlugin, createByocPlugin({ clock })],
    connectors: [
      {
        id: 'tw',
        plugin: 'twilio',
        config: {
          accountSid: twilio.account.sid,
          authToken: twilio.account.authToken,
          apiBaseUrl: twilio.url,
          webhookBaseUrl: `${PUBLIC}/webhooks/tw`,
        },
      },
      {
        id: 'cx',
        plugin: byocPlugin.id,
        config: {
          channelId: cxone.channelId,
          apiUrl: cxone.url,
          authUrl: cxone.authUrl,
          ...cxone.credentials,
          middlewareClientId: MIDDLEWARE.clientId,
          middlewareClientSecret: MIDDLEWARE.clientSecret,
          timeoutMs: 1_000,
          ...options.byoc,
        },
      },
    ],
    channels: [
      {
        serviceIdentifier: SMS_NUMBER,
        connector: 'tw',
        channelType: 'SMS',
        route: { connector: 'cx' },
      },
    ],
    config: { pipeline: { retry: { baseDelayMs: 20, maxDelayMs: 200, maxAttempts: 200 } } },
  })
  ccm.setHostUrl(test.url)
  twilio.route(PUBLIC, test.url)
  cxone.agent.connect({ boxUrl: `${test.url}/webhooks/cx/integration/box`, ...MIDDLEWARE })
  return {
    ccm,
    twilio,
    cxone,
    test,
    clock,
    async close() {
      await test.stop()
      await Promise.all([ccm.close(), twilio.close(), cxone.close()])
    },
  }
}

/** A customer texts the number; resolves with the CXone thread the message landed in. */
export async function customerTexts(
  loop: ByocLoop,
  from: string,
  body: string,
): Promise<CxoneThread> {
  const sent = await loop.twilio.sendSms({ from, to: SMS_NUMBER, body })
  if (sent.answer?.status !== 200)
    throw new Error(`the host answered Twilio ${sent.answer?.status}`)
  const [message] = await loop.cxone.waitForMessage(
    (m) => m.direction === 'inbound' && m.text === body,
    {
      timeoutMs: 15_000,
    },
  )
  return loop.cxone.thread(message!.threadId)!
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

/** Polls `check` until it returns true. */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}
