import genericHttp from '@plugboard/plugin-generic-http'
import {
  type CcmSimulator,
  type HttpProviderSimulator,
  startCcmSimulator,
  startHttpProviderSimulator,
  startTestHost,
  type TestHost,
  type TestHostOptions,
} from '@plugboard/testkit'

export interface Loop {
  ccm: CcmSimulator
  provider: HttpProviderSimulator
  test: TestHost
  close(): Promise<void>
}

export const SID = '1000'

/** A host with one generic-http connector between a CCM simulator and a provider simulator. */
export async function startLoop(
  options: {
    secret?: string
    autoReceipts?: ('delivered' | 'read')[]
    host?: Partial<TestHostOptions>
  } = {},
): Promise<Loop> {
  const ccm = await startCcmSimulator()
  const provider = await startHttpProviderSimulator({
    ...(options.secret ? { secret: options.secret } : {}),
    ...(options.autoReceipts ? { autoReceipts: options.autoReceipts } : {}),
  })
  const test = await startTestHost({
    ccmUrl: ccm.url,
    plugins: [genericHttp],
    connectors: [
      {
        id: 'web',
        plugin: 'generic-http',
        config: {
          outboundUrl: provider.outboundUrl,
          ...(options.secret ? { sharedSecret: options.secret } : {}),
        },
      },
    ],
    channels: [{ serviceIdentifier: SID, connector: 'web' }],
    ...options.host,
  })
  ccm.setHostUrl(test.url)
  provider.setWebhookBase(`${test.url}/webhooks/web`)
  return {
    ccm,
    provider,
    test,
    async close() {
      await test.stop()
      await Promise.all([ccm.close(), provider.close()])
    },
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
