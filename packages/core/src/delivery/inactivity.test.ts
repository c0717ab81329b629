import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type CimBody, type CimMessage, inboundMessage, text } from '@plugboard/sdk'
import { createInactivityMonitor } from './inactivity.js'

const from = (customerId: string, body: CimBody = text('hi')) =>
  inboundMessage({ serviceIdentifier: '1000', customerId, body })

function setup() {
  let clock = 0
  const ended: { message: CimMessage; connectorId: string }[] = []
  let fail = false
  const monitor = createInactivityMonitor({
    timeoutMs: 60_000,
    now: () => clock,
    sweepMs: 3_600_000,
    async end(message, connectorId) {
      if (fail) throw new Error('queue full')
      ended.push({ message, connectorId })
    },
  })
  return {
    monitor,
    ended,
    advance: (ms: number) => {
      clock += ms
    },
    failEnds: (on: boolean) => {
      fail = on
    },
  }
}

test('an idle customer gets the end-of-chat intent for their conversation, once', async (t) => {
  const { monitor, ended, advance } = setup()
  t.after(() => monitor.stop())
  monitor.touch(from('+1'), 'web')
  advance(30_000)
  monitor.touch(from('+2'), 'web')
  advance(30_000)
  assert.equal(await monitor.sweep(), 1)
  assert.equal(ended[0]?.connectorId, 'web')
  const end = ended[0]!.message
  assert.equal(end.header.intent, 'END_CHAT')
  assert.equal(end.header.channelData.channelCustomerIdentifier, '+1')
  assert.equal(end.header.channelData.serviceIdentifier, '1000')
  assert.equal(await monitor.sweep(), 0)
  advance(30_000)
  assert.equal(await monitor.sweep(), 1)
  assert.equal(ended[1]?.message.header.channelData.channelCustomerIdentifier, '+2')
})

test('a new customer message restarts the clock; a chat the center ended is forgotten', async (t) => {
  const { monitor, ended, advance } = setup()
  t.after(() => monitor.stop())
  monitor.touch(from('+1'), 'web')
  advance(50_000)
  monitor.touch(from('+1'), 'web')
  advance(50_000)
  assert.equal(await monitor.sweep(), 0)
  monitor.touch(from('+3'), 'web')
  const sessionEnded = from('+3', {
    type: 'NOTIFICATION',
    markdownText: '',
    notificationType: 'CHANNEL_SESSION_ENDED',
  })
  monitor.forget(sessionEnded)
  advance(60_000)
  assert.equal(await monitor.sweep(), 1)
  assert.deepEqual(
    ended.map((e) => e.message.header.channelData.channelCustomerIdentifier),
    ['+1'],
  )
})

test('receipts do not count as customer activity, and a failed hand-off is tried again', async (t) => {
  const { monitor, ended, advance, failEnds } = setup()
  t.after(() => monitor.stop())
  monitor.touch(
    from('+1', {
      type: 'DELIVERYNOTIFICATION',
      markdownText: '',
      messageId: 'x',
      status: 'DELIVERED',
    }),
    'web',
  )
  assert.equal(monitor.watching, 0)
  monitor.touch(from('+2'), 'web')
  advance(60_000)
  failEnds(true)
  assert.equal(await monitor.sweep(), 0)
  assert.equal(monitor.watching, 1)
  failEnds(false)
  assert.equal(await monitor.sweep(), 1)
  assert.equal(ended.length, 1)
})
