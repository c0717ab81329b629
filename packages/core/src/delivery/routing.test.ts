import assert from 'node:assert/strict'
import { test } from 'node:test'
import { deliveryNotification, inboundMessage, text } from '@plugboard/sdk'
import { ChannelTable } from '../connectors/channels.js'
import { inboundTarget, submissionOf } from './routing.js'

const table = () => {
  const channels = new ChannelTable()
  channels.replace([
    { serviceIdentifier: '+15550100', connector: 'tw', route: { connector: 'cx' } },
    { serviceIdentifier: '+15550101', connector: 'tw', route: 'ccm' },
  ])
  return channels
}
const to = (serviceIdentifier: string) =>
  inboundMessage({ serviceIdentifier, customerId: '+15550199', body: text('hi') })

test('a customer message of a routed channel goes to the serving connector, others to CCM', () => {
  const channels = table()
  assert.deepEqual(inboundTarget(channels, 'tw', to('+15550100')), {
    to: 'connector',
    connectorId: 'cx',
  })
  assert.deepEqual(inboundTarget(channels, 'tw', to('+15550101')), { to: 'center' })
  assert.deepEqual(inboundTarget(channels, 'tw', to('+19999999')), { to: 'center' })
})

test('receipts of a routed channel go to the serving connector too', () => {
  const receipt = deliveryNotification({
    messageId: 'agent-1',
    status: 'DELIVERED',
    serviceIdentifier: '+15550100',
    customerId: '+15550199',
  })
  assert.deepEqual(inboundTarget(table(), 'tw', receipt), { to: 'connector', connectorId: 'cx' })
})

test("the serving connector's messages leave through the channel's own connector", () => {
  const channels = table()
  assert.deepEqual(submissionOf(channels, 'cx', to('+15550100')), {
    direction: 'outbound',
    connectorId: 'tw',
  })
  // Its own channels, and channels not routed to it, stay inbound.
  assert.deepEqual(submissionOf(channels, 'cx', to('+15550101')), {
    direction: 'inbound',
    connectorId: 'cx',
  })
  assert.deepEqual(submissionOf(channels, 'tw', to('+15550100')), {
    direction: 'inbound',
    connectorId: 'tw',
  })
  // Queued as inbound before the route pointed at it: sent out rather than looped back.
  assert.deepEqual(inboundTarget(channels, 'cx', to('+15550100')), {
    to: 'customer',
    connectorId: 'tw',
  })
})

test('the channel table lists the channels routed to a connector', () => {
  const channels = table()
  assert.deepEqual(
    channels.routedTo('cx').map((c) => c.serviceIdentifier),
    ['+15550100'],
  )
  assert.equal(channels.routedTo('tw').length, 0)
  assert.equal(channels.forConnector('tw').length, 2)
})
