import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import genericHttp from '@plugboard/plugin-generic-http'
import {
  type CcmSimulator,
  type ChannelFixture,
  type HttpProviderSimulator,
  startCcmSimulator,
  startHttpProviderSimulator,
  startTestHost,
  type TestHost,
} from '@plugboard/testkit'

export const SID = '+15550100'
export const ADMIN_TOKEN = 'admin-token-for-tests-0123'
export const OLD_SECRET = 'old-secret-0001'
export const NEW_SECRET = 'new-secret-0002'

export interface UaLoop {
  ccm: CcmSimulator
  provider: HttpProviderSimulator
  test: TestHost
  storeDir: string
  start(config?: Record<string, unknown>): Promise<TestHost>
  close(): Promise<void>
}

export function channelFixture(provider: HttpProviderSimulator): ChannelFixture {
  return {
    serviceIdentifier: SID,
    channelType: 'SMS',
    provider: 'Generic HTTP Connector',
    connectorId: 'ua-web',
    connectorName: 'Partner gateway',
    attributes: [
      { key: 'HTTP-OUTBOUND-URL', type: 'URL', value: provider.outboundUrl },
      { key: 'HTTP-SHARED-SECRET', type: 'Password', value: OLD_SECRET },
      { key: 'LEGACY-KEY', type: 'String100', value: 'ignored' },
    ],
  }
}

/**
 * A host whose only channel takes its connector from Unified Admin (the CCM simulator), with a
 * generic-http provider simulator that accepts the old and the new secret and records which.
 */
export async function startUaLoop(
  options: { config?: Record<string, unknown>; startHost?: boolean } = {},
): Promise<UaLoop> {
  const provider = await startHttpProviderSimulator()
  provider.setSecrets([OLD_SECRET, NEW_SECRET])
  const ccm = await startCcmSimulator({ unifiedAdmin: [channelFixture(provider)] })
  const storeDir = mkdtempSync(join(tmpdir(), 'plugboard-ua-'))
  const loop: UaLoop = {
    ccm,
    provider,
    test: undefined as unknown as TestHost,
    storeDir,
    async start(config = options.config ?? {}) {
      loop.test = await startTestHost({
        ccmUrl: ccm.url,
        plugins: [genericHttp],
        storeDir,
        config: {
          admin: { token: ADMIN_TOKEN },
          unifiedAdmin: { channels: [SID], retryIntervalMs: 100, resyncIntervalMs: 0 },
          ...config,
        },
      })
      ccm.setHostUrl(loop.test.url)
      provider.setWebhookBase(`${loop.test.url}/webhooks/ua-web`)
      return loop.test
    },
    async close() {
      await loop.test?.stop()
      await Promise.all([ccm.close(), provider.close()])
      rmSync(storeDir, { recursive: true, force: true })
    },
  }
  if (options.startHost !== false) await loop.start()
  return loop
}

export async function adminGet<T>(test: TestHost, path: string): Promise<T> {
  const res = await fetch(`${test.url}/admin${path}`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  })
  return (await res.json()) as T
}

export interface ConnectorView {
  id: string
  state: string
  configVersion?: string
  lastError?: string
}
