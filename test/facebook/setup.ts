import facebookPlugin from '@plugboard/plugin-facebook'
import {
  type CcmSimulator,
  type FileEngineSimulator,
  type GraphAfterSend,
  type GraphSimulator,
  startCcmSimulator,
  startFileEngineSimulator,
  startGraphSimulator,
  startTestHost,
  type TestHost,
} from '@plugboard/testkit'

export const PAGE_A = '101010101010101'
export const PAGE_B = '202020202020202'
export const VERIFY_TOKEN = 'e2e-verify-token'
const TOKEN_A = 'EAAe2ePageAtoken0123456789'
const TOKEN_B = 'EAAe2ePageBtoken0123456789'

export interface FacebookLoop {
  ccm: CcmSimulator
  graph: GraphSimulator
  fileEngine: FileEngineSimulator
  test: TestHost
  close(): Promise<void>
}

/**
 * A host with one Messenger connector (one app, two pages) between a CCM simulator and a Graph
 * API simulator, and a file engine for attachments.
 */
export async function startFacebookLoop(
  options: {
    afterSend?: GraphAfterSend[]
    retry?: Record<string, number>
    connector?: Record<string, unknown>
  } = {},
): Promise<FacebookLoop> {
  const ccm = await startCcmSimulator()
  const graph = await startGraphSimulator({
    pages: [
      { id: PAGE_A, accessToken: TOKEN_A },
      { id: PAGE_B, accessToken: TOKEN_B },
    ],
    afterSend: options.afterSend ?? [],
    timeoutHoldMs: 30_000,
  })
  const fileEngine = await startFileEngineSimulator()
  const test = await startTestHost({
    ccmUrl: ccm.url,
    plugins: [facebookPlugin],
    connectors: [
      {
        id: 'fb',
        plugin: 'facebook',
        config: {
          appSecret: graph.appSecret,
          verifyToken: VERIFY_TOKEN,
          pageTokens: { [PAGE_A]: TOKEN_A, [PAGE_B]: TOKEN_B },
          apiBaseUrl: graph.apiBaseUrl,
          ...options.connector,
        },
      },
    ],
    channels: [
      { serviceIdentifier: PAGE_A, connector: 'fb', channelType: 'FACEBOOK' },
      { serviceIdentifier: PAGE_B, connector: 'fb', channelType: 'FACEBOOK' },
    ],
    config: {
      fileEngine: { url: fileEngine.url },
      pipeline: { retry: { baseDelayMs: 20, maxDelayMs: 200, maxAttempts: 200, ...options.retry } },
    },
  })
  ccm.setHostUrl(test.url)
  graph.setWebhookUrl(`${test.url}/webhooks/fb/webhook`)
  return {
    ccm,
    graph,
    fileEngine,
    test,
    async close() {
      await test.stop()
      await Promise.all([ccm.close(), graph.close(), fileEngine.close()])
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

/** Matches the DELIVERYNOTIFICATIONs CCM got about the outbound message `id`. */
export const notificationsOf = (id: string) => (m: { body: { type: string } }) =>
  m.body.type === 'DELIVERYNOTIFICATION' && (m.body as { messageId?: string }).messageId === id
