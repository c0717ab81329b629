import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type CimBody, type CimMessage, inboundMessage, text } from '@plugboard/sdk'
import { toOutboundPayload } from './outbound.js'

function outbound(body: CimBody): CimMessage {
  const message = inboundMessage({ serviceIdentifier: 'svc-1', customerId: 'cust-1', body })
  message.header.sender = { id: 'agent-1', type: 'AGENT', senderName: 'Agent' }
  return message
}

const base = { id: 'key-1', to: 'cust-1', from: 'svc-1' }

describe('toOutboundPayload', () => {
  it('sends PLAIN text from the service identifier to the customer', () => {
    assert.deepEqual(toOutboundPayload(outbound(text('hello')), 'key-1'), {
      payload: { ...base, type: 'PLAIN', text: 'hello' },
    })
  })

  it('ignores PLAIN without text', () => {
    const mapped = toOutboundPayload(outbound({ type: 'PLAIN', markdownText: null }), 'key-1')
    assert.ok('ignored' in mapped)
  })

  it('sends media with the caption as text when there is no markdown text', () => {
    const body: CimBody = {
      type: 'IMAGE',
      markdownText: null,
      caption: 'look',
      attachment: { mediaUrl: 'https://fe.test/x.png', mimeType: 'image/png', size: 42 },
    }
    assert.deepEqual(toOutboundPayload(outbound(body), 'key-1'), {
      payload: {
        ...base,
        type: 'IMAGE',
        text: 'look',
        media: {
          url: 'https://fe.test/x.png',
          mimeType: 'image/png',
          caption: 'look',
          name: undefined,
          size: 42,
        },
      },
    })
  })

  it('keeps the media type for FILE, VIDEO and AUDIO', () => {
    for (const type of ['FILE', 'VIDEO', 'AUDIO'] as const) {
      const body: CimBody = { type, attachment: { mediaUrl: 'https://fe.test/f' } }
      const mapped = toOutboundPayload(outbound(body), 'k')
      assert.ok('payload' in mapped)
      assert.equal(mapped.payload.type, type)
      assert.equal(mapped.payload.media?.url, 'https://fe.test/f')
    }
  })

  it('sends a location', () => {
    const body: CimBody = { type: 'LOCATION', location: { latitude: 31.5, longitude: 74.3 } }
    assert.deepEqual(toOutboundPayload(outbound(body), 'key-1'), {
      payload: {
        ...base,
        type: 'LOCATION',
        text: undefined,
        location: { latitude: 31.5, longitude: 74.3 },
      },
    })
  })

  it('sends buttons, skipping those without a title', () => {
    const body: CimBody = {
      type: 'BUTTON',
      markdownText: 'Pick one',
      buttons: [{ title: 'Yes', payload: 'y' }, { title: null, payload: 'n' }, { title: 'Maybe' }],
    }
    const mapped = toOutboundPayload(outbound(body), 'key-1')
    assert.ok('payload' in mapped)
    assert.equal(mapped.payload.text, 'Pick one')
    assert.deepEqual(mapped.payload.buttons, [
      { title: 'Yes', payload: 'y' },
      { title: 'Maybe', payload: undefined },
    ])
  })

  it('sends a URL with its link', () => {
    const body: CimBody = { type: 'URL', markdownText: 'Get the app', mediaUrl: 'https://app.test' }
    const mapped = toOutboundPayload(outbound(body), 'key-1')
    assert.ok('payload' in mapped)
    assert.equal(mapped.payload.url, 'https://app.test')
  })

  const ignored: CimBody[] = [
    { type: 'NOTIFICATION', notificationType: 'TYPING_STARTED' },
    { type: 'NOTIFICATION', notificationType: 'CHANNEL_SESSION_ENDED' },
    { type: 'DELIVERYNOTIFICATION', messageId: 'm', status: 'READ' },
    { type: 'CAROUSEL', elements: [] },
    { type: 'SOMETHING_NEW', markdownText: 'x' },
  ]
  for (const body of ignored) {
    it(`ignores ${body.type} ${String(body.notificationType ?? '')}`.trim(), () => {
      const mapped = toOutboundPayload(outbound(body), 'key-1')
      assert.ok('ignored' in mapped)
      assert.match(mapped.ignored, new RegExp(body.type))
    })
  }
})
