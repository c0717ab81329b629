import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { after, describe, it } from 'node:test'
import {
  createHttpClient,
  createSqliteStateStore,
  createWriter,
  openSqlite,
  type StatusChange,
} from '@plugboard/core'
import type { Logger } from '@plugboard/sdk'
import { pino } from 'pino'
import { startCrmSimulator } from '../../test/crm-simulator.js'
import { createMemoryServer } from '../../test/memory-broker.js'
import { silent, until } from '../../test/pipeline-contract.js'
import { createCrmClient } from './crm.js'
import { rememberSendSms } from './origin.js'
import { createDeliveryReports } from './reports.js'

const http = createHttpClient({ timeoutMs: 2_000 })
after(() => http.close())

const change = (
  status: StatusChange['status'],
  extra: Partial<StatusChange> = {},
): StatusChange => ({
  connectorId: 'sms',
  messageId: 'cim-1',
  status,
  serviceIdentifier: '+15550100',
  customerId: '+15550199',
  providerMessageId: 'prov-1',
  ...extra,
})

function capture(): { log: Logger; lines: string[] } {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk))
      done()
    },
  })
  return { log: pino({ level: 'debug' }, stream) as unknown as Logger, lines }
}

describe('CRM client', () => {
  it('POSTs the report with basic auth, retries 5xx and 401, never logs the password', async () => {
    const crm = await startCrmSimulator('crm-user', 'S3cret-pass')
    const { log, lines } = capture()
    const client = createCrmClient({
      url: crm.url.replace('http://', 'http://crm-user:S3cret-pass@'),
      user: 'crm-user',
      password: 'S3cret-pass',
      http,
      log,
      baseDelayMs: 5,
    })
    crm.failNext(1, 503)
    crm.failNext(1, 401)
    client.push({
      type: 'SmsDeliveryReport',
      id: 'app-1',
      number: '+15550199',
      status: 'delivered',
      providerMessageId: 'prov-1',
      error: null,
      messageId: 'cim-1',
      from: '+15550100',
      connector: 'sms',
      timestamp: new Date().toISOString(),
    })
    await client.idle()
    assert.equal(crm.reports.length, 1)
    assert.equal(crm.reports[0]!.id, 'app-1')
    assert.equal(lines.filter((l) => l.includes('will retry')).length, 2)
    assert.ok(!lines.join('\n').includes('S3cret-pass'), 'the password is in no log line')
    assert.ok(!lines.join('\n').includes(Buffer.from('crm-user:S3cret-pass').toString('base64')))
    await crm.close()
  })

  it('gives up on a 4xx other than 401/403, and after its attempts', async () => {
    const crm = await startCrmSimulator('u', 'p')
    const { log, lines } = capture()
    const client = createCrmClient({
      url: crm.url,
      user: 'u',
      password: 'p',
      http,
      log,
      baseDelayMs: 1,
      maxAttempts: 3,
    })
    const report = { messageId: 'm', status: 'sent' } as never
    crm.failNext(1, 400)
    client.push(report)
    await client.idle()
    crm.failNext(5, 500)
    client.push(report)
    await client.idle()
    assert.equal(crm.reports.length, 0)
    assert.equal(lines.filter((l) => l.includes('given up')).length, 2)
    await crm.close()
  })
})

describe('delivery reports', () => {
  it('publishes one report per SendSms status change and pushes it to the CRM, not to CCM', async () => {
    const server = createMemoryServer()
    const broker = server.connect()
    await broker.connect()
    const db = openSqlite({ path: ':memory:' })
    const state = createSqliteStateStore(db, createWriter(db))
    const crm = await startCrmSimulator('u', 'p')
    const client = createCrmClient({ url: crm.url, user: 'u', password: 'p', http, log: silent })
    const reports = createDeliveryReports({
      state,
      connectorId: 'sms',
      publish: { broker, queue: 'sms-delivery-reports' },
      crm: client,
      log: silent,
    })
    await rememberSendSms(state, 'cim-1', { number: '+15550199', text: 'x', id: 'app-1' })
    assert.equal(await reports.onStatus(change('sent')), false)
    assert.equal(
      await reports.onStatus(change('failed', { reasonCode: '30003', reason: 'unreachable' })),
      false,
    )
    assert.equal(await reports.onStatus(change('delivered', { messageId: 'from-ccm' })), undefined)
    assert.equal(await reports.onStatus(change('delivered', { connectorId: 'other' })), undefined)
    await until(() => server.depth('sms-delivery-reports').ready === 2, 'two reports queued')
    const queued = server.peek('sms-delivery-reports').map((b) => JSON.parse(b.toString()))
    assert.deepEqual(
      queued.map((r) => [r.id, r.number, r.status, r.providerMessageId, r.error]),
      [
        ['app-1', '+15550199', 'sent', 'prov-1', null],
        ['app-1', '+15550199', 'failed', 'prov-1', { code: '30003', reason: 'unreachable' }],
      ],
    )
    await until(() => crm.reports.length === 2, 'two CRM updates')
    await crm.close()
    await broker.close()
  })

  it('retries a report the broker did not take', async () => {
    const server = createMemoryServer()
    const broker = server.connect()
    const db = openSqlite({ path: ':memory:' })
    const state = createSqliteStateStore(db, createWriter(db))
    const reports = createDeliveryReports({
      state,
      connectorId: 'sms',
      publish: { broker, queue: 'reports' },
      log: silent,
    })
    await rememberSendSms(state, 'cim-1', { number: '+15550199', text: 'x' })
    // Not connected yet: the first publish fails, a retry goes through.
    assert.equal(await reports.onStatus(change('delivered')), false)
    await broker.connect()
    await reports.idle()
    assert.equal(server.depth('reports').ready, 1)
    reports.close()
    await broker.close()
  })
})
