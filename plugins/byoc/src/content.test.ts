import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { CimBody } from '@plugboard/sdk'
import { fromCxoneContent, toCxoneContent } from './content.js'

test('customer bodies become CXone text and attachments', () => {
  const cases: [string, CimBody, ReturnType<typeof toCxoneContent>][] = [
    ['text', { type: 'PLAIN', markdownText: 'hello' }, { text: 'hello', attachments: [] }],
    ['empty text', { type: 'PLAIN', markdownText: '  ' }, undefined],
    [
      'picture with caption',
      {
        type: 'IMAGE',
        markdownText: 'look',
        caption: 'look',
        attachment: { mediaUrl: 'https://files.test/a/photo.jpg', mimeType: 'image/jpeg' },
      },
      {
        text: 'look',
        attachments: [{ friendlyName: 'photo.jpg', url: 'https://files.test/a/photo.jpg' }],
      },
    ],
    [
      'location',
      { type: 'LOCATION', markdownText: null, location: { latitude: 1.5, longitude: 2.5 } },
      { text: 'Location: 1.5,2.5\nhttps://maps.google.com/?q=1.5,2.5', attachments: [] },
    ],
    ['receipt', { type: 'DELIVERYNOTIFICATION', messageId: 'm', status: 'READ' }, undefined],
    ['unknown type', { type: 'X_UNKNOWN', markdownText: 'x' }, undefined],
  ]
  for (const [label, body, expected] of cases) {
    assert.deepEqual(toCxoneContent(body), expected, label)
  }
})

test('agent messages become CIM bodies: text, quick replies, one media body per attachment', () => {
  assert.deepEqual(fromCxoneContent({ type: 'TEXT', payload: { text: 'Hi' } }), [
    { type: 'PLAIN', markdownText: 'Hi' },
  ])
  assert.deepEqual(fromCxoneContent({ type: 'TEXT', payload: {} }), [])
  const quick = fromCxoneContent({
    type: 'QUICK_REPLIES',
    payload: { text: 'Pick one', elements: [{ title: 'Yes', postback: 'y' }, { text: 'No' }] },
  })
  assert.deepEqual(quick, [
    {
      type: 'BUTTON',
      markdownText: 'Pick one',
      buttonMessageType: 'QUICK_REPLIES',
      buttons: [
        { type: 'String', title: 'Yes', payload: 'y' },
        { type: 'String', title: 'No', payload: 'No' },
      ],
    },
  ])
  const media = fromCxoneContent({ type: 'TEXT', payload: { text: 'Your invoice' } }, [
    { url: 'https://cxone.test/files/invoice.pdf', friendlyName: 'invoice.pdf' },
    { url: 'https://cxone.test/files/x', mimeType: 'image/png' },
  ])
  assert.deepEqual(
    media.map((b) => [b.type, b.markdownText]),
    [
      ['FILE', 'Your invoice'],
      ['IMAGE', null],
    ],
  )
  assert.equal(
    (media[0] as { attachment: { mimeType: string } }).attachment.mimeType,
    'application/pdf',
  )
})
