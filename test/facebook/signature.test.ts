import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { GraphPostOptions } from '@plugboard/testkit'
import { type FacebookLoop, notificationsOf, PAGE_A, quiet, startFacebookLoop } from './setup.js'

let loop: FacebookLoop
before(async () => {
  loop = await startFacebookLoop()
})
after(() => loop.close())

const forgeries: Array<[string, GraphPostOptions]> = [
  ['another app’s secret', { appSecret: 'not-the-app-secret' }],
  ['no signature', { signature: null }],
  ['a malformed signature', { signature: 'sha256=nothex' }],
  ['a signature of other bytes', { signature: `sha256=${'ab'.repeat(32)}` }],
]

for (const [name, options] of forgeries) {
  test(`a message with ${name} gets 403 and never reaches CCM`, async () => {
    const psid = loop.graph.newPsid()
    const forged = await loop.graph.sendText(
      { psid, pageId: PAGE_A, text: `forged: ${name}` },
      options,
    )
    assert.equal(forged.answer?.status, 403)
    assert.equal((forged.answer!.body as { error: { code: string } }).error.code, 'BAD_SIGNATURE')
    // A genuine message sent afterwards arrives; the forged one never does.
    const genuine = await loop.graph.sendText({
      psid,
      pageId: PAGE_A,
      text: `genuine after ${name}`,
    })
    await loop.ccm.waitFor((m) => m.header.providerMessageId === genuine.mid)
    assert.equal(
      loop.ccm.messages.filter((m) => m.header.providerMessageId === forged.mid).length,
      0,
    )
  })
}

test('a forged read receipt gets 403 and no notification reaches CCM', async () => {
  const psid = loop.graph.newPsid()
  await loop.graph.sendText({ psid, pageId: PAGE_A, text: 'watch the receipts' })
  await loop.ccm.waitFor((m) => m.body.markdownText === 'watch the receipts')
  await loop.ccm.sendOutbound({
    id: 'sig-out',
    serviceIdentifier: PAGE_A,
    customerId: psid,
    text: 'sig-out',
  })
  await loop.graph.waitFor((m) => m.text === 'sig-out')
  await quiet(loop.test)
  const forged = await loop.graph.sendRead({ psid, pageId: PAGE_A }, { appSecret: 'forger' })
  assert.equal(forged.answer?.status, 403)
  const genuine = await loop.graph.sendDelivery({ psid, pageId: PAGE_A })
  assert.equal(genuine.answer?.status, 200)
  const [note] = await loop.ccm.waitFor(notificationsOf('sig-out'))
  assert.equal((note!.body as { status: string }).status, 'DELIVERED')
  assert.equal(
    loop.ccm.messages.filter(notificationsOf('sig-out')).length,
    1,
    'no READ from the forgery',
  )
})

test('refusals are counted in the metrics', async () => {
  const metrics = await (await fetch(`${loop.test.url}/metrics`)).text()
  assert.match(metrics, /plugboard_webhook_signature_failures_total\{connector="fb"\} [5-9]/)
  for (const reason of ['missing', 'malformed', 'mismatch']) {
    assert.match(
      metrics,
      new RegExp(
        `plugboard_plugin_facebook_signature_failures_total\\{(?=[^}]*connector="fb")(?=[^}]*reason="${reason}")[^}]*\\} [1-9]`,
      ),
    )
  }
})
