/**
 * AMQ SendSms end to end, on real RabbitMQ and Redis: an app publishes SendSms, the host sends
 * them through an SMS connector (generic-http against the provider simulator), dead-letters the
 * malformed one with its reason, and reports every status change to the delivery queue and to a
 * CRM (a real HTTP server checking basic auth).
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Broker, BrokerMessage } from '@plugboard/broker'
import genericHttp from '@plugboard/plugin-generic-http'
import { isBodyType } from '@plugboard/sdk'
import {
  type CcmSimulator,
  type HttpProviderSimulator,
  startCcmSimulator,
  startHttpProviderSimulator,
  startTestHost,
  type TestHost,
} from '@plugboard/testkit'
import { type CrmSimulator, startCrmSimulator } from '../../packages/broker/test/crm-simulator.js'
import { appBroker, deleteQueues, pipelineConfig, replicaConfig, runId, until } from './helpers.js'

const SID = '+15550100'
const run = runId()
const queue = `${run}-outbound-sms`
const reportsQueue = `${run}-sms-reports`
let ccm: CcmSimulator
let provider: HttpProviderSimulator
let crm: CrmSimulator
let host: TestHost
let app: Broker

before(async () => {
  ccm = await startCcmSimulator()
  provider = await startHttpProviderSimulator({ autoReceipts: ['delivered'] })
  crm = await startCrmSimulator('crm-user', 'crm-Pa55word')
  host = await startTestHost({
    ccmUrl: ccm.url,
    plugins: [genericHttp],
    connectors: [
      { id: 'sms', plugin: 'generic-http', config: { outboundUrl: provider.outboundUrl } },
    ],
    channels: [{ serviceIdentifier: SID, connector: 'sms' }],
    config: {
      ...replicaConfig(run),
      pipeline: pipelineConfig(run, 2),
      sendSms: {
        enabled: true,
        queue,
        connector: 'sms',
        reports: { enabled: true, queue: reportsQueue },
      },
      crm: { url: crm.url, user: 'crm-user', password: 'crm-Pa55word' },
    },
  })
  provider.setWebhookBase(`${host.url}/webhooks/sms`)
  ccm.setHostUrl(host.url)
  app = await appBroker()
})

after(async () => {
  await host?.stop()
  await app?.close()
  await Promise.all([ccm?.close(), provider?.close(), crm?.close()])
  await deleteQueues(run, ['sms'], [queue, reportsQueue])
})

async function collect(queueName: string): Promise<BrokerMessage[]> {
  const seen: BrokerMessage[] = []
  await app.assertQueue({ name: queueName })
  await app.consume(queueName, (message) => {
    seen.push(message)
    message.ack()
  })
  return seen
}

test('SendSms → SMS connector; malformed → DLQ with the reason; reports to the queue and the CRM', {
  timeout: 120_000,
}, async () => {
  const reports = await collect(reportsQueue)
  const dead = await collect(`${queue}.dlq`)
  const send = (body: unknown) =>
    app.publish(queue, typeof body === 'string' ? body : JSON.stringify(body), {
      contentType: 'application/json',
      headers: { type: 'SendSms' },
    })
  await send({ number: '+15550199', text: 'Your code is 1111', id: 'app-1' })
  await send('{"number": "+15550199", "text": ')
  await send({ number: 'not a number', text: 'x', id: 'app-bad' })
  await send({ number: '+15550198', text: 'Your code is 2222', id: 'app-2' })

  const sent = await provider.waitFor((m) => m.text?.startsWith('Your code') ?? false, {
    count: 2,
    timeoutMs: 30_000,
  })
  assert.deepEqual(
    sent.map((m) => [m.from, m.to, m.text]),
    [
      [SID, '+15550199', 'Your code is 1111'],
      [SID, '+15550198', 'Your code is 2222'],
    ],
  )

  await until(() => dead.length === 2, 'two SendSms dead-lettered')
  assert.match(String(dead[0]!.headers['x-dead-letter-reason']), /not JSON/)
  assert.match(String(dead[1]!.headers['x-dead-letter-reason']), /number: use the customer number/)

  // One report per status change (sent, then delivered from the provider's receipt).
  await until(() => reports.length === 4, 'four delivery reports')
  const bodies = reports.map((r) => JSON.parse(r.body.toString()) as Record<string, unknown>)
  for (const [id, number] of [
    ['app-1', '+15550199'],
    ['app-2', '+15550198'],
  ] as const) {
    const mine = bodies.filter((b) => b.id === id)
    assert.deepEqual(
      mine.map((b) => b.status),
      ['sent', 'delivered'],
      `${id}: sent, then delivered`,
    )
    const providerId = sent.find((m) => m.to === number)!.providerId
    for (const b of mine) {
      assert.equal(b.number, number)
      assert.equal(b.providerMessageId, providerId)
      assert.equal(b.error, null)
      assert.equal(b.from, SID)
    }
  }

  await until(() => crm.reports.length === 4, 'four CRM updates')
  assert.equal(crm.unauthorized, 0, 'basic auth accepted')
  assert.deepEqual(crm.reports.map((r) => `${r.id}:${r.status}`).sort(), [
    'app-1:delivered',
    'app-1:sent',
    'app-2:delivered',
    'app-2:sent',
  ])

  // CCM never sent these, so it hears nothing of them. A CCM message to the same customer comes
  // behind them in the same (ordered) conversation: its notification arriving first proves it.
  await ccm.sendOutbound({
    id: 'ccm-1',
    serviceIdentifier: SID,
    customerId: '+15550199',
    text: 'hi',
  })
  await ccm.waitFor(
    (m) => isBodyType(m.body, 'DELIVERYNOTIFICATION') && m.body.messageId === 'ccm-1',
    { timeoutMs: 30_000 },
  )
  const notified = ccm.messages.filter((m) => isBodyType(m.body, 'DELIVERYNOTIFICATION'))
  assert.deepEqual(
    notified.map((m) => (m.body as { messageId: string }).messageId),
    ['ccm-1'],
  )
})

test('a SendSms the broker delivers again is not sent twice', { timeout: 60_000 }, async () => {
  const payload = JSON.stringify({ number: '+15550197', text: 'only once', id: 'app-repeat' })
  // The same app id twice stands for a redelivery after a crash between submit and ack.
  await app.publish(queue, payload, { headers: { type: 'SendSms' } })
  await app.publish(queue, payload, { headers: { type: 'SendSms' } })
  await app.publish(queue, JSON.stringify({ number: '+15550197', text: 'marker', id: 'app-m' }))
  await provider.waitFor((m) => m.text === 'marker', { timeoutMs: 30_000 })
  assert.equal(provider.messages.filter((m) => m.text === 'only once').length, 1)
})
