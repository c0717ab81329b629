import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { setUpFacebook, VERIFY_TOKEN } from '../test/context.js'

describe('webhook verification (GET)', () => {
  it('echoes hub.challenge as plain text for the right token', async () => {
    const t = await setUpFacebook()
    const res = await t.verify({
      'hub.mode': 'subscribe',
      'hub.verify_token': VERIFY_TOKEN,
      'hub.challenge': '1158201444',
    })
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('content-type'), 'text/plain; charset=utf-8')
    assert.equal(await res.text(), '1158201444')
  })

  const refused: Array<[string, Record<string, string>, string]> = [
    [
      'a wrong token',
      { 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': '1' },
      'token',
    ],
    ['no token', { 'hub.mode': 'subscribe', 'hub.challenge': '1' }, 'missing_token'],
    [
      'another mode',
      { 'hub.mode': 'unsubscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1' },
      'mode',
    ],
    ['no parameters', {}, 'mode'],
  ]
  for (const [name, query, reason] of refused) {
    it(`refuses ${name} with 403, a count and a log line without the token`, async () => {
      const t = await setUpFacebook()
      const res = await t.verify(query)
      assert.equal(res.status, 403)
      const body = (await res.json()) as { error: { code: string; message: string } }
      assert.equal(body.error.code, 'VERIFICATION_FAILED')
      assert.equal(t.counters.get(`verification_failures{reason=${reason}}`), 1)
      assert.ok(t.ctx.logs.some((l) => l.level === 'warn'))
      assert.doesNotMatch(JSON.stringify(t.ctx.logs), new RegExp(VERIFY_TOKEN))
      assert.doesNotMatch(body.error.message, new RegExp(VERIFY_TOKEN))
    })
  }

  it('answers 400 when the challenge is missing', async () => {
    const t = await setUpFacebook()
    const res = await t.verify({ 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN })
    assert.equal(res.status, 400)
  })
})
