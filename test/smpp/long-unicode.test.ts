import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { isNotification, notifications, type SmppLoop, startSmppLoop } from './helpers.js'

let loop: SmppLoop
before(async () => {
  loop = await startSmppLoop()
})
after(() => loop.close())

test('a long Unicode message goes out as UCS2 parts of at most 67 characters and arrives whole', async () => {
  const text = `Здравствуйте! Ваш заказ №4711 отправлен 📦. ${'Спасибо, что выбрали нас. '.repeat(5)}Хорошего дня 😀`
  await loop.send('uni-1', text)
  const [message] = await waitForMessage(loop, text)
  assert.ok(message)
  assert.equal(message.dataCoding, 8)
  assert.equal(message.parts.length, Math.ceil([...text].reduce((n, c) => n + c.length, 0) / 67))
  for (const part of message.parts) {
    assert.equal(part.dataCoding, 8)
    assert.equal(part.esmClass & 0x40, 0x40, 'UDHI set')
    assert.equal(part.concat?.bits, 8)
    assert.ok([...part.text].reduce((n, c) => n + c.length, 0) <= 67)
    assert.ok(!/[\ud800-\udbff]$/.test(part.text), 'no part ends inside a surrogate pair')
    assert.equal(part.destination, '4915550100')
    assert.equal(part.source, SOURCE)
    assert.equal(part.registeredDelivery, 1)
  }
  // Every part's receipt says delivered: CCM hears DELIVERED once, for the whole message.
  await loop.ccm.waitFor(isNotification('uni-1', 'DELIVERED'))
  await loop.smsc.waitForDelivery((d) => d.kind === 'receipt', { count: message.parts.length })
  assert.deepEqual(notifications(loop.ccm, 'uni-1'), ['DELIVERED'])
})

test('a long GSM message uses data_coding 0 and counts extension characters as two', async () => {
  const text = `Total: 120€ {incl. VAT} [ref ~42] ${'x'.repeat(140)}`
  await loop.send('gsm-1', text)
  const [message] = await waitForMessage(loop, text)
  assert.ok(message)
  assert.equal(message.dataCoding, 0)
  assert.equal(message.parts.length, 2)
  const septets = (s: string) =>
    [...s].reduce((n, c) => n + ('€{}[]~^|\\\f'.includes(c) ? 2 : 1), 0)
  for (const part of message.parts) assert.ok(septets(part.text) <= 153)
  await loop.ccm.waitFor(isNotification('gsm-1', 'DELIVERED'))
})

test('a short message goes out in one part without UDH', async () => {
  await loop.send('short-1', 'See you at 10:00 @ the desk')
  const [submit] = await loop.smsc.waitFor((s) => s.text === 'See you at 10:00 @ the desk')
  assert.equal(submit?.dataCoding, 0)
  assert.equal(submit?.esmClass, 0)
  assert.equal(submit?.concat, undefined)
})

const SOURCE = '1000'

async function waitForMessage(l: SmppLoop, text: string) {
  const deadline = Date.now() + 15_000
  for (;;) {
    const found = l.smsc.messages().filter((m) => m.text === text)
    if (found.length > 0) return found
    if (Date.now() > deadline) throw new Error(`the SMSC never got "${text.slice(0, 30)}…" whole`)
    await new Promise((r) => setTimeout(r, 20))
  }
}
