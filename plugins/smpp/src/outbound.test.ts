import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type CimBody, inboundMessage } from '@plugboard/sdk'
import { toSmsText } from './outbound.js'

const message = (body: CimBody) =>
  inboundMessage({ serviceIdentifier: '1000', customerId: '+1', body })

describe('toSmsText', () => {
  const cases: Array<[string, CimBody, ReturnType<typeof toSmsText>]> = [
    ['plain text', { type: 'PLAIN', markdownText: 'Hello' }, { text: 'Hello' }],
    [
      'empty plain text',
      { type: 'PLAIN', markdownText: ' ' },
      { ignored: 'PLAIN body without text' },
    ],
    [
      'an image with a caption',
      {
        type: 'IMAGE',
        markdownText: null,
        caption: 'Your receipt',
        attachment: { mediaUrl: 'https://files.example/r.png', mimeType: 'image/png' },
      } as CimBody,
      { text: 'Your receipt\nhttps://files.example/r.png' },
    ],
    [
      'a URL',
      { type: 'URL', markdownText: 'Our app:', mediaUrl: 'https://app.example' } as CimBody,
      { text: 'Our app:\nhttps://app.example' },
    ],
    [
      'buttons',
      {
        type: 'BUTTON',
        markdownText: 'Pick one',
        buttonMessageType: 'BUTTON',
        buttons: [{ title: 'Yes' }, { title: '' }, { title: 'No' }],
      } as CimBody,
      { text: 'Pick one\n1. Yes\n2. No' },
    ],
    [
      'a typing notification',
      { type: 'NOTIFICATION', markdownText: '', notificationType: 'TYPING_STARTED' } as CimBody,
      { ignored: 'NOTIFICATION TYPING_STARTED is not carried by SMS' },
    ],
    [
      'a template',
      { type: 'TEMPLATE', markdownText: 'x' } as CimBody,
      { ignored: 'body type TEMPLATE is not carried by SMS' },
    ],
  ]
  for (const [name, body, expected] of cases) {
    it(`maps ${name}`, () => assert.deepEqual(toSmsText(message(body), {}), expected))
  }

  it("points media at the file engine's public URL", () => {
    const body = {
      type: 'FILE',
      markdownText: 'Invoice',
      attachment: { mediaUrl: 'http://file-engine:8080/api/downloadFileStream?filename=a.pdf' },
    } as CimBody
    assert.deepEqual(
      toSmsText(message(body), {
        fileEngineUrl: 'http://file-engine:8080',
        fileEnginePublicUrl: 'https://cx.example.com/file-engine/',
      }),
      { text: 'Invoice\nhttps://cx.example.com/file-engine/api/downloadFileStream?filename=a.pdf' },
    )
  })
})
