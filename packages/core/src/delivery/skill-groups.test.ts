import assert from 'node:assert/strict'
import { test } from 'node:test'
import { deliveryNotification, inboundMessage, text } from '@plugboard/sdk'
import { parseSkillGroups } from '../config/env.js'
import { createSkillGroups, QUEUE_ATTRIBUTE } from './skill-groups.js'

const customer = (sid: string) =>
  inboundMessage({
    serviceIdentifier: sid,
    customerId: '+15550001',
    body: text('hello'),
  })

const queueOf = (m: ReturnType<typeof customer>) =>
  m.header.channelData.additionalAttributes?.find((a) => a.key === QUEUE_ATTRIBUTE)?.value

test('SKILL_GROUPS parses into channel type → queue, and a pair without a queue stays visible', () => {
  assert.deepEqual(parseSkillGroups('whatsapp, premium|facebook, gold|SMS, silver'), {
    whatsapp: 'premium',
    facebook: 'gold',
    sms: 'silver',
  })
  assert.deepEqual(parseSkillGroups('whatsapp|sms, silver'), { whatsapp: '', sms: 'silver' })
})

test('customer messages name the queue of their channel type; others fall back to default', () => {
  const decorate = createSkillGroups({ whatsapp: 'premium', default: 'general' })
  assert.equal(queueOf(decorate(customer('1'), 'WHATSAPP')), 'premium')
  assert.equal(queueOf(decorate(customer('1'), 'SMS')), 'general')
  assert.equal(queueOf(decorate(customer('1'), undefined)), 'general')
})

test('receipts are untouched, a queue a plugin set wins, and no groups means no change', () => {
  const decorate = createSkillGroups({ sms: 'silver' })
  const receipt = deliveryNotification({
    serviceIdentifier: '1',
    customerId: '+1',
    messageId: 'm1',
    status: 'DELIVERED',
  })
  assert.equal(decorate(receipt, 'SMS'), receipt)
  const own = customer('1')
  own.header.channelData.additionalAttributes = [
    { key: QUEUE_ATTRIBUTE, type: 'String100', value: 'vip' },
  ]
  assert.equal(queueOf(decorate(own, 'SMS')), 'vip')
  const none = customer('1')
  assert.equal(createSkillGroups({})(none, 'SMS'), none)
})
