import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { DeliveryNotificationBody } from '@plugboard/sdk'
import { type FacebookLoop, notificationsOf, PAGE_A, startFacebookLoop } from './setup.js'

const HOUR = 3600_000

/** A customer whose last message reached CCM `hoursAgo` (by Meta's timestamp). */
async function customerFrom(loop: FacebookLoop, hoursAgo: number): Promise<string> {
  const psid = loop.graph.newPsid()
  const sent = await loop.graph.sendText({
    psid,
    pageId: PAGE_A,
    text: `written ${hoursAgo} hours ago`,
    timestamp: Date.now() - hoursAgo * HOUR,
  })
  await loop.ccm.waitFor((m) => m.header.providerMessageId === sent.mid)
  return psid
}

describe('outside the 24-hour window, without the HUMAN_AGENT tag', () => {
  let loop: FacebookLoop
  before(async () => {
    loop = await startFacebookLoop()
  })
  after(() => loop.close())

  test('an agent reply fails at once with reason 10, without calling Graph', async () => {
    const psid = await customerFrom(loop, 25)
    const attempts = loop.graph.attempts
    await loop.ccm.sendOutbound({
      id: 'fb-late',
      serviceIdentifier: PAGE_A,
      customerId: psid,
      text: 'too late',
    })
    const [failed] = await loop.ccm.waitFor(notificationsOf('fb-late'))
    const body = failed!.body as DeliveryNotificationBody
    assert.equal(body.status, 'FAILED')
    assert.equal(String(body.reasonCode), '10')
    assert.equal(loop.graph.attempts, attempts)
    const letter = (await loop.test.host.pipeline.listDead()).find((d) => d.id === 'fb-late')
    assert.match(letter?.reason ?? '', /24-hour window/)
  })

  test('inside the window the same customer’s next conversation works again', async () => {
    const psid = await customerFrom(loop, 25)
    await loop.graph.sendText({ psid, pageId: PAGE_A, text: 'back again' })
    await loop.ccm.waitFor((m) => m.body.markdownText === 'back again')
    await loop.ccm.sendOutbound({
      id: 'fb-back',
      serviceIdentifier: PAGE_A,
      customerId: psid,
      text: 'welcome back',
    })
    const [sent] = await loop.graph.waitFor((m) => m.text === 'welcome back')
    assert.equal(sent!.messagingType, 'RESPONSE')
  })
})

describe('outside the 24-hour window, with the HUMAN_AGENT tag', () => {
  let loop: FacebookLoop
  before(async () => {
    loop = await startFacebookLoop({ connector: { humanAgentTag: 'true' } })
  })
  after(() => loop.close())

  test('an agent reply within 7 days goes out tagged HUMAN_AGENT', async () => {
    const psid = await customerFrom(loop, 50)
    await loop.ccm.sendOutbound({
      id: 'fb-tagged',
      serviceIdentifier: PAGE_A,
      customerId: psid,
      text: 'sorry for the wait',
    })
    const [sent] = await loop.graph.waitFor((m) => m.text === 'sorry for the wait')
    assert.equal(sent!.messagingType, 'MESSAGE_TAG')
    assert.equal(sent!.tag, 'HUMAN_AGENT')
  })

  test('after 7 days the reply fails with reason 10', async () => {
    const psid = await customerFrom(loop, 8 * 24)
    await loop.ccm.sendOutbound({
      id: 'fb-week',
      serviceIdentifier: PAGE_A,
      customerId: psid,
      text: 'a week on',
    })
    const [failed] = await loop.ccm.waitFor(notificationsOf('fb-week'))
    assert.equal((failed!.body as DeliveryNotificationBody).status, 'FAILED')
    assert.equal(String((failed!.body as DeliveryNotificationBody).reasonCode), '10')
    assert.equal(loop.graph.messages.filter((m) => m.text === 'a week on').length, 0)
  })
})
