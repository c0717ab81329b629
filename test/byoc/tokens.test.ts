import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type ByocLoop, customerTexts, LONG, startByocLoop } from './setup.js'

let loop: ByocLoop
before(async () => {
  loop = await startByocLoop({ byoc: { tokenTtlSeconds: 60 } })
})
after(() => loop.close())

test("CXone's token expires mid-conversation: 401, a new token, the reply goes through", async () => {
  const thread = await customerTexts(loop, '+15550301', 'Token test')
  assert.equal((await loop.cxone.agent.reply(thread.id, 'First answer')).answer.status, 200)
  await loop.twilio.waitFor((m) => m.body === 'First answer', LONG)
  const fetches = loop.cxone.agent.tokenFetches
  const refused = loop.cxone.agent.unauthorized

  await loop.clock.advance(61_000)
  const late = await loop.cxone.agent.reply(thread.id, 'Second answer, after the token expired')
  assert.equal(late.answer.status, 200)
  assert.equal(loop.cxone.agent.unauthorized - refused, 1, 'one 401 for the expired token')
  assert.equal(loop.cxone.agent.tokenFetches - fetches, 1, 'one new token')
  await loop.twilio.waitFor((m) => m.body === 'Second answer, after the token expired', LONG)
  const replies = loop.cxone.agent.calls.filter((c) => c.kind === 'reply').map((c) => c.status)
  assert.deepEqual(replies.slice(-2), [401, 200])
  const metrics = await (await fetch(`${loop.test.url}/metrics`)).text()
  assert.match(
    metrics,
    /plugboard_plugin_byoc_tokens_total\{[^}]*outcome="bearer_expired"[^}]*\} 1/,
  )
  assert.match(metrics, /plugboard_plugin_byoc_tokens_total\{[^}]*outcome="issued"[^}]*\} 2/)
})

test("the middleware's own CXone token is refused: it gets a new one and the message arrives once", async () => {
  await customerTexts(loop, '+15550302', 'Before the expiry')
  const before = loop.cxone.tokenRequests
  loop.cxone.expireTokens()
  const thread = await customerTexts(loop, '+15550302', 'After the expiry')
  assert.equal(loop.cxone.tokenRequests - before, 1)
  assert.equal(thread.messages.filter((m) => m.text === 'After the expiry').length, 1)
  assert.equal(loop.test.host.manager.status().find((s) => s.id === 'cx')?.state, 'running')
})
