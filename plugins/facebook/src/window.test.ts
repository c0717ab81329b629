import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { HOUR, type MessagingPolicy, messagingPolicy } from './window.js'

const NOW = 1_718_000_000_000

describe('messagingPolicy', () => {
  const table: Array<
    [string, number | undefined, boolean, boolean, MessagingPolicy['kind'], boolean?]
  > = [
    ['no record', undefined, false, true, 'response', false],
    ['1 hour ago', 1, false, true, 'response', true],
    ['23 hours ago', 23, true, true, 'response', true],
    ['25 hours ago, no tag', 25, false, true, 'closed'],
    ['25 hours ago, tag, agent', 25, true, true, 'human-agent'],
    ['25 hours ago, tag, bot', 25, true, false, 'closed'],
    ['6 days ago, tag, agent', 6 * 24, true, true, 'human-agent'],
    ['8 days ago, tag, agent', 8 * 24, true, true, 'closed'],
  ]
  for (const [name, hoursAgo, tag, byAgent, kind, known] of table) {
    it(`${name} → ${kind}`, () => {
      const policy = messagingPolicy({
        lastMessage: hoursAgo === undefined ? undefined : NOW - hoursAgo * HOUR,
        now: NOW,
        humanAgentTag: tag,
        byAgent,
      })
      assert.equal(policy.kind, kind)
      if (policy.kind === 'response') assert.equal(policy.known, known)
      if (policy.kind === 'closed') assert.match(policy.reason, /hours ago/)
    })
  }

  it('says how to open the window when the tag is off', () => {
    const policy = messagingPolicy({
      lastMessage: NOW - 30 * HOUR,
      now: NOW,
      humanAgentTag: false,
      byAgent: true,
    })
    assert.ok(policy.kind === 'closed' && /FACEBOOK-HUMAN-AGENT-TAG/.test(policy.reason))
  })
})
