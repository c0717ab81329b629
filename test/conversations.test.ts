import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type Loop, SID, startLoop, until } from './helpers/setup.js'

let loop: Loop
before(async () => {
  loop = await startLoop({
    host: {
      channels: [{ serviceIdentifier: SID, connector: 'web', channelType: 'SMS' }],
      config: {
        skillGroups: { whatsapp: 'premium', sms: 'silver' },
        // Seconds, as CUSTOMER_INACTIVITY_TIMEOUT.
        customerInactivityTimeout: 0.5,
      },
    },
  })
})
after(() => loop.close())

test('SKILL_GROUPS: a customer message names the queue of its channel type to CCM', async () => {
  await loop.provider.sendInbound({ from: '+15550301', to: SID, text: 'which queue?' })
  const [message] = await loop.ccm.waitFor((m) => m.body.markdownText === 'which queue?')
  assert.deepEqual(
    message!.header.channelData.additionalAttributes?.find((a) => a.key === 'queue'),
    { key: 'queue', type: 'String100', value: 'silver' },
  )
})

test('CUSTOMER_INACTIVITY_TIMEOUT: an idle customer’s chat is ended with the END_CHAT intent', async () => {
  await loop.provider.sendInbound({ from: '+15550302', to: SID, text: 'then silence' })
  const [ended] = await loop.ccm.waitFor(
    (m) =>
      m.header.intent === 'END_CHAT' &&
      m.header.channelData.channelCustomerIdentifier === '+15550302',
  )
  assert.equal(ended!.header.channelData.serviceIdentifier, SID)
  assert.deepEqual(ended!.header.entities, { reason: 'CUSTOMER_INACTIVITY' })
  const metrics = await (await fetch(`${loop.test.url}/metrics`)).text()
  assert.match(metrics, /plugboard_inactivity_chat_ends_total\{connector="web"\} [1-9]/)
})

test('a chat CCM ended is not ended again for inactivity', async () => {
  await loop.provider.sendInbound({ from: '+15550303', to: SID, text: 'bye' })
  await loop.ccm.waitFor((m) => m.body.markdownText === 'bye')
  await until(
    () => loop.test.host.inactivity?.watches(SID, '+15550303') === true,
    'the idle clock to start',
  )
  await loop.ccm.sendOutbound({
    serviceIdentifier: SID,
    customerId: '+15550303',
    body: { type: 'NOTIFICATION', markdownText: '', notificationType: 'CHANNEL_SESSION_ENDED' },
  })
  assert.equal(loop.test.host.inactivity?.watches(SID, '+15550303'), false)
  // A later customer's chat ending proves the sweeps ran past this one's timeout.
  await loop.provider.sendInbound({ from: '+15550304', to: SID, text: 'later customer' })
  await loop.ccm.waitFor(
    (m) =>
      m.header.intent === 'END_CHAT' &&
      m.header.channelData.channelCustomerIdentifier === '+15550304',
  )
  assert.equal(
    loop.ccm.messages.filter(
      (m) =>
        m.header.intent === 'END_CHAT' &&
        m.header.channelData.channelCustomerIdentifier === '+15550303',
    ).length,
    0,
  )
})
