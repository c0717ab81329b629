import smppPlugin from '@plugboard/plugin-smpp'
import { type CimMessage, isBodyType } from '@plugboard/sdk'
import {
  type CcmSimulator,
  type SmscSimulator,
  type SmscSimulatorOptions,
  startCcmSimulator,
  startSmscSimulator,
  startTestHost,
  type TestHost,
} from '@plugboard/testkit'

export const SID = '1000'
export const CONNECTOR = 'sms'

export interface SmppLoop {
  ccm: CcmSimulator
  smsc: SmscSimulator
  test: TestHost
  /** Sends an agent message through the host; resolves once the host accepted it. */
  send(id: string, text: string, customerId?: string): Promise<void>
  /** The connector's status as `/admin/connectors` shows it. */
  status(): ReturnType<TestHost['host']['manager']['status']>[number] | undefined
  close(): Promise<void>
}

/** A host with one SMPP connector between a CCM simulator and an SMSC simulator. */
export async function startSmppLoop(
  options: {
    smsc?: SmscSimulatorOptions
    connector?: Record<string, unknown>
    password?: string
  } = {},
): Promise<SmppLoop> {
  const ccm = await startCcmSimulator()
  const smsc = await startSmscSimulator(options.smsc)
  const test = await startTestHost({
    ccmUrl: ccm.url,
    plugins: [smppPlugin],
    config: { pipeline: { retry: { baseDelayMs: 50, maxDelayMs: 500, maxAttempts: 100 } } },
    connectors: [
      {
        id: CONNECTOR,
        plugin: 'smpp',
        config: {
          host: smsc.host,
          port: smsc.port,
          systemId: 'plugboard',
          password: options.password ?? 'secret',
          reconnectMinMs: 50,
          reconnectMaxMs: 500,
          throttlePauseMs: 100,
          responseTimeoutMs: 5000,
          receiptWaitMs: 3000,
          ...options.connector,
        },
      },
    ],
    channels: [{ serviceIdentifier: SID, connector: CONNECTOR, channelType: 'SMS' }],
  })
  ccm.setHostUrl(test.url)
  return {
    ccm,
    smsc,
    test,
    async send(id, text, customerId = '+4915550100') {
      const answer = await ccm.sendOutbound({ id, serviceIdentifier: SID, customerId, text })
      if (answer.status !== 200)
        throw new Error(`host answered ${answer.status}: ${JSON.stringify(answer.body)}`)
    },
    status: () => test.host.manager.status().find((s) => s.id === CONNECTOR),
    async close() {
      await test.stop()
      await Promise.all([ccm.close(), smsc.close()])
    },
  }
}

/** The DELIVERYNOTIFICATION statuses CCM got for one outbound message, in arrival order. */
export function notifications(ccm: CcmSimulator, messageId: string): string[] {
  return ccm.messages
    .filter((m) => isBodyType(m.body, 'DELIVERYNOTIFICATION') && m.body.messageId === messageId)
    .map((m) => String(m.body.status))
}

export const isNotification =
  (messageId: string, status?: string) =>
  (m: CimMessage): boolean =>
    isBodyType(m.body, 'DELIVERYNOTIFICATION') &&
    m.body.messageId === messageId &&
    (status === undefined || m.body.status === status)

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
