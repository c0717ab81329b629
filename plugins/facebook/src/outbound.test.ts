import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  type CimBody,
  type CimMessage,
  inboundMessage,
  type MediaBody,
  PluginError,
} from '@plugboard/sdk'
import { DEFAULT_PROMPT } from './buttons.js'
import { type OutboundPlan, planOutbound } from './outbound.js'

const agent = (body: CimBody): CimMessage => {
  const message = inboundMessage({ serviceIdentifier: '111', customerId: '999', body })
  return { ...message, header: { ...message.header, sender: { id: 'a', type: 'AGENT' } } }
}
const plan = (body: CimBody): OutboundPlan =>
  planOutbound(agent(body), {
    publicMediaUrl: (url) => url.replace('http://fe:8080', 'https://files.example'),
  })
const parts = (body: CimBody) => {
  const p = plan(body)
  assert.ok('kind' in p && p.kind === 'messages', JSON.stringify(p))
  return p
}
const buttons = (n: number, extra: Record<string, unknown> = {}) =>
  Array.from({ length: n }, (_, i) => ({
    title: `Option ${i + 1}`,
    payload: `OPT_${i + 1}`,
    ...extra,
  }))

describe('planOutbound: CIM → Send API', () => {
  it('PLAIN → text; a text over 2000 characters → pieces at word boundaries', () => {
    assert.deepEqual(parts({ type: 'PLAIN', markdownText: 'Hi!' }).parts, [{ text: 'Hi!' }])
    const long = `${'word '.repeat(500)}end`
    const pieces = parts({ type: 'PLAIN', markdownText: long }).parts
    assert.equal(pieces.length, 2)
    for (const piece of pieces) assert.ok(Array.from(piece.text!).length <= 2000)
    assert.equal(pieces.map((p) => p.text).join(' '), long)
  })

  it('IMAGE, VIDEO, AUDIO, FILE, MULTIMEDIA → attachment by URL, the caption after it', () => {
    const cases: Array<[MediaBody, string]> = [
      [{ type: 'IMAGE', attachment: { mediaUrl: 'https://x/a.jpg' } }, 'image'],
      [{ type: 'VIDEO', attachment: { mediaUrl: 'https://x/a.mp4' } }, 'video'],
      [{ type: 'AUDIO', attachment: { mediaUrl: 'https://x/a.mp3' } }, 'audio'],
      [{ type: 'FILE', attachment: { mediaUrl: 'https://x/a.pdf' } }, 'file'],
      [
        { type: 'MULTIMEDIA', attachment: { mediaUrl: 'https://x/a', mimeType: 'video/mp4' } },
        'video',
      ],
      [
        { type: 'MULTIMEDIA', attachment: { mediaUrl: 'https://x/a', mimeType: 'text/csv' } },
        'file',
      ],
    ]
    for (const [body, type] of cases) {
      assert.deepEqual(parts(body).parts, [
        { attachment: { type, payload: { url: body.attachment.mediaUrl } } },
      ])
    }
    assert.deepEqual(
      parts({
        type: 'IMAGE',
        caption: 'your receipt',
        attachment: { mediaUrl: 'http://fe:8080/api/downloadFileStream?filename=r.png' },
      }).parts,
      [
        {
          attachment: {
            type: 'image',
            payload: { url: 'https://files.example/api/downloadFileStream?filename=r.png' },
          },
        },
        { text: 'your receipt' },
      ],
    )
  })

  it('LOCATION → text with a map link, logged as degraded', () => {
    const p = parts({
      type: 'LOCATION',
      location: { latitude: 52.37, longitude: 4.89 },
      additionalDetails: { name: 'Office', address: 'Dam 1' },
    })
    assert.deepEqual(p.parts, [{ text: 'Office\nDam 1\nhttps://maps.google.com/?q=52.37,4.89' }])
    assert.match(p.degraded ?? '', /LOCATION/)
  })

  it('CONTACT → text, degraded', () => {
    const p = parts({
      type: 'CONTACT',
      contacts: [{ name: { formattedName: 'Ada' }, phones: [{ phone: '+15550100' }] }],
    })
    assert.deepEqual(p.parts, [{ text: 'Ada: +15550100' }])
    assert.match(p.degraded ?? '', /CONTACT/)
  })

  it('BUTTON with up to 13 options → quick replies on the text, titles cut to 20', () => {
    const p = parts({
      type: 'BUTTON',
      markdownText: 'Which colour?',
      buttons: [...buttons(12), { title: 'A very long option title indeed', payload: 'LONG' }],
    })
    assert.equal(p.parts.length, 1)
    assert.equal(p.parts[0]!.text, 'Which colour?')
    assert.equal(p.parts[0]!.quick_replies!.length, 13)
    assert.deepEqual(p.parts[0]!.quick_replies![0], {
      content_type: 'text',
      title: 'Option 1',
      payload: 'OPT_1',
    })
    assert.equal(p.parts[0]!.quick_replies![12]!.title, 'A very long option …')
    assert.match(p.degraded ?? '', /cut to 20/)
  })

  it('BUTTON of type BUTTON with up to 3 → a button template with postback, web_url and phone_number', () => {
    const p = parts({
      type: 'BUTTON',
      markdownText: 'How can we help?',
      buttonMessageType: 'BUTTON',
      buttons: [
        { title: 'Sales', payload: 'SALES' },
        { title: 'Website', type: 'url', payload: 'https://example.com' },
        { title: 'Call us', type: 'phone_number', payload: '+15550100' },
      ],
    })
    assert.equal(p.degraded, undefined)
    assert.deepEqual(p.parts, [
      {
        attachment: {
          type: 'template',
          payload: {
            template_type: 'button',
            text: 'How can we help?',
            buttons: [
              { type: 'postback', title: 'Sales', payload: 'SALES' },
              { type: 'web_url', title: 'Website', url: 'https://example.com' },
              { type: 'phone_number', title: 'Call us', payload: '+15550100' },
            ],
          },
        },
      },
    ])
  })

  it('a link button among quick replies forces a template; without text the prompt stands in', () => {
    const p = parts({
      type: 'BUTTON',
      buttons: [
        { title: 'Track', additionalButtonDetails: { url: 'https://t.example/1' } },
        { title: 'Help' },
      ],
    })
    const payload = p.parts[0]!.attachment!.payload as {
      text: string
      buttons: Array<{ type: string }>
    }
    assert.equal(payload.text, DEFAULT_PROMPT)
    assert.deepEqual(
      payload.buttons.map((b) => b.type),
      ['web_url', 'postback'],
    )
  })

  it('more than fits → numbered text, links written out, degraded', () => {
    const many = parts({ type: 'BUTTON', markdownText: 'Pick', buttons: buttons(14) })
    assert.equal(many.parts.length, 1)
    assert.match(
      many.parts[0]!.text!,
      /^Pick\n\n1\. Option 1\n2\. Option 2\n[\s\S]*14\. Option 14$/,
    )
    assert.match(many.degraded ?? '', /numbered text/)
    const links = parts({
      type: 'BUTTON',
      markdownText: 'Links',
      buttons: buttons(4, { type: 'url', payload: 'https://example.com/x' }),
    })
    assert.match(links.parts[0]!.text!, /1\. Option 1: https:\/\/example\.com\/x/)
    const bigTemplate = parts({
      type: 'BUTTON',
      buttonMessageType: 'BUTTON',
      markdownText: 'Menu',
      buttons: buttons(5),
    })
    assert.ok(
      bigTemplate.parts[0]!.quick_replies,
      'more than 3 postback buttons become quick replies',
    )
  })

  it('CAROUSEL → a generic template; one that does not fit → text', () => {
    const p = parts({
      type: 'CAROUSEL',
      elements: [
        {
          text: 'Blue shirt\nCotton, size M',
          url: 'https://img.example/blue.jpg',
          buttons: [{ title: 'Buy', payload: 'BUY_BLUE' }],
          defaultAction: { type: 'web_url', url: 'https://shop.example/blue' },
        },
        { text: 'Red shirt', buttons: [] },
      ],
    })
    assert.deepEqual(p.parts, [
      {
        attachment: {
          type: 'template',
          payload: {
            template_type: 'generic',
            elements: [
              {
                title: 'Blue shirt',
                subtitle: 'Cotton, size M',
                image_url: 'https://img.example/blue.jpg',
                default_action: { type: 'web_url', url: 'https://shop.example/blue' },
                buttons: [{ type: 'postback', title: 'Buy', payload: 'BUY_BLUE' }],
              },
              { title: 'Red shirt' },
            ],
          },
        },
      },
    ])
    const untitled = parts({
      type: 'CAROUSEL',
      markdownText: 'Ours',
      elements: [{ url: 'https://img/x.jpg' }],
    })
    assert.deepEqual(untitled.parts, [{ text: 'Ours\n\nhttps://img/x.jpg' }])
    assert.match(untitled.degraded ?? '', /CAROUSEL/)
  })

  it('TEMPLATE → its text, degraded; without text → terminal', () => {
    const p = parts({ type: 'TEMPLATE', name: 'order_update', markdownText: 'Your order shipped' })
    assert.deepEqual(p.parts, [{ text: 'Your order shipped' }])
    assert.match(p.degraded ?? '', /TEMPLATE order_update/)
    assert.throws(
      () => plan({ type: 'TEMPLATE', name: 'order_update' }),
      (e) =>
        e instanceof PluginError && e.kind === 'terminal' && e.code === 'TEMPLATE_WITHOUT_TEXT',
    )
  })

  it('URL → text and link; STICKER → image', () => {
    assert.deepEqual(
      parts({ type: 'URL', markdownText: 'Our app', mediaUrl: 'https://app.example' }).parts,
      [{ text: 'Our app\nhttps://app.example' }],
    )
    assert.deepEqual(parts({ type: 'STICKER', mediaUrl: 'https://s.example/thumb.png' }).parts, [
      { attachment: { type: 'image', payload: { url: 'https://s.example/thumb.png' } } },
    ])
  })

  it('NOTIFICATION typing → sender actions; other notifications are ignored', () => {
    assert.deepEqual(plan({ type: 'NOTIFICATION', notificationType: 'TYPING_STARTED' }), {
      kind: 'action',
      action: 'typing_on',
    })
    assert.deepEqual(plan({ type: 'NOTIFICATION', notificationType: 'TYPING_STOPPED' }), {
      kind: 'action',
      action: 'typing_off',
    })
    const other = plan({ type: 'NOTIFICATION', notificationType: 'CHANNEL_SESSION_ENDED' })
    assert.match('ignored' in other ? other.ignored : '', /CHANNEL_SESSION_ENDED/)
  })

  it('DELIVERYNOTIFICATION READ → mark_seen; others and agent-side records are ignored', () => {
    assert.deepEqual(plan({ type: 'DELIVERYNOTIFICATION', messageId: 'x', status: 'READ' }), {
      kind: 'action',
      action: 'mark_seen',
    })
    for (const body of [
      { type: 'DELIVERYNOTIFICATION', messageId: 'x', status: 'DELIVERED' },
      { type: 'WRAPUP', note: 'done' },
      { type: 'ACTION', name: 'FIND_AGENT' },
    ] as CimBody[]) {
      assert.ok('ignored' in plan(body), body.type)
    }
  })

  it('an unknown type → its text, degraded; with nothing to send → terminal', () => {
    const p = parts({ type: 'X_FUTURE', markdownText: 'readable anyway' })
    assert.deepEqual(p.parts, [{ text: 'readable anyway' }])
    assert.match(p.degraded ?? '', /X_FUTURE/)
    for (const body of [{ type: 'X_FUTURE' }, { type: 'PLAIN', markdownText: ' ' }] as CimBody[]) {
      assert.throws(
        () => plan(body),
        (e) => e instanceof PluginError && e.kind === 'terminal' && e.code === 'EMPTY_MESSAGE',
      )
    }
  })
})
