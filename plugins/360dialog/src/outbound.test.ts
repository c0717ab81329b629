import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type CimBody, type CimMessage, inboundMessage, PluginError } from '@plugboard/sdk'
import { type OutboundPlan, planOutbound } from './outbound.js'

function agent(body: CimBody, header: Partial<CimMessage['header']> = {}): CimMessage {
  const message = inboundMessage({
    serviceIdentifier: '15550783881',
    customerId: '4917612345678',
    body,
  })
  return {
    ...message,
    header: { ...message.header, sender: { id: 'a1', type: 'AGENT' }, ...header },
  }
}

const options = {
  publicMediaUrl: (u: string) => u.replace('http://fe:8080', 'https://files.example'),
}
const plan = (body: CimBody, header?: Partial<CimMessage['header']>) =>
  planOutbound(agent(body, header), options)
const buttons = (n: number, title = (i: number) => `Option ${i}`) =>
  Array.from({ length: n }, (_, i) => ({ title: title(i + 1), payload: `opt-${i + 1}` }))

describe('planOutbound', () => {
  const table: Array<[string, CimBody, OutboundPlan]> = [
    [
      'PLAIN',
      { type: 'PLAIN', markdownText: 'Hi *there*' },
      { content: { type: 'text', text: { body: 'Hi *there*', preview_url: false } } },
    ],
    [
      'PLAIN with a link previews it',
      { type: 'PLAIN', markdownText: 'See https://example.com' },
      { content: { type: 'text', text: { body: 'See https://example.com', preview_url: true } } },
    ],
    [
      'IMAGE with caption, file-engine URL made public',
      {
        type: 'IMAGE',
        caption: 'receipt',
        attachment: { mediaUrl: 'http://fe:8080/api/downloadFileStream?filename=r.png' },
      },
      {
        content: {
          type: 'image',
          image: {
            link: 'https://files.example/api/downloadFileStream?filename=r.png',
            caption: 'receipt',
          },
        },
      },
    ],
    [
      'VIDEO with markdownText as caption',
      { type: 'VIDEO', markdownText: 'watch', attachment: { mediaUrl: 'https://cdn.test/v.mp4' } },
      { content: { type: 'video', video: { link: 'https://cdn.test/v.mp4', caption: 'watch' } } },
    ],
    [
      'FILE as a document with its file name',
      {
        type: 'FILE',
        attachment: { mediaUrl: 'https://cdn.test/i.pdf', mediaName: 'x.pdf' },
        additionalDetails: { fileName: 'invoice.pdf' },
      },
      {
        content: {
          type: 'document',
          document: { link: 'https://cdn.test/i.pdf', filename: 'invoice.pdf' },
        },
      },
    ],
    [
      'AUDIO with a caption leaves the caption out and says so',
      { type: 'AUDIO', caption: 'listen', attachment: { mediaUrl: 'https://cdn.test/a.ogg' } },
      {
        content: { type: 'audio', audio: { link: 'https://cdn.test/a.ogg' } },
        degraded: 'AUDIO caption left out: WhatsApp audio messages have no caption',
      },
    ],
    [
      'MULTIMEDIA by its MIME type',
      {
        type: 'MULTIMEDIA',
        attachment: { mediaUrl: 'https://cdn.test/v.mp4', mimeType: 'video/mp4' },
      },
      { content: { type: 'video', video: { link: 'https://cdn.test/v.mp4' } } },
    ],
    [
      'STICKER',
      { type: 'STICKER', mediaUrl: 'https://cdn.test/s.webp' },
      { content: { type: 'sticker', sticker: { link: 'https://cdn.test/s.webp' } } },
    ],
    [
      'LOCATION with name and address',
      {
        type: 'LOCATION',
        location: { latitude: 52.37, longitude: 4.89 },
        additionalDetails: { name: 'Dam Square', address: 'Dam 1, Amsterdam' },
      },
      {
        content: {
          type: 'location',
          location: {
            latitude: 52.37,
            longitude: 4.89,
            name: 'Dam Square',
            address: 'Dam 1, Amsterdam',
          },
        },
      },
    ],
    [
      'CONTACT with WhatsApp’s name parts',
      {
        type: 'CONTACT',
        contacts: [
          {
            name: { formattedName: 'Ada Lovelace', additionalNameDetails: { first_name: 'Ada' } },
            phones: [{ phone: '+441234567', additionalPhoneDetails: { type: 'CELL' } }],
            additionalContactDetails: { emails: [{ email: 'ada@example.com' }] },
          },
        ],
      },
      {
        content: {
          type: 'contacts',
          contacts: [
            {
              emails: [{ email: 'ada@example.com' }],
              name: { first_name: 'Ada', formatted_name: 'Ada Lovelace' },
              phones: [{ type: 'CELL', phone: '+441234567' }],
            },
          ],
        },
      },
    ],
    [
      'CONTACT with only a formatted name gets it as first name',
      {
        type: 'CONTACT',
        contacts: [{ name: { formattedName: 'Support' }, phones: [{ phone: '+1555' }] }],
      },
      {
        content: {
          type: 'contacts',
          contacts: [
            {
              name: { formatted_name: 'Support', first_name: 'Support' },
              phones: [{ phone: '+1555' }],
            },
          ],
        },
      },
    ],
    [
      'BUTTON with 3 short options: reply buttons',
      { type: 'BUTTON', markdownText: 'How can we help?', buttons: buttons(3) },
      {
        content: {
          type: 'interactive',
          interactive: {
            type: 'button',
            body: { text: 'How can we help?' },
            action: {
              buttons: [1, 2, 3].map((i) => ({
                type: 'reply',
                reply: { id: `opt-${i}`, title: `Option ${i}` },
              })),
            },
          },
        },
      },
    ],
    [
      'BUTTON with 4 options: a list',
      { type: 'BUTTON', markdownText: 'Pick a plan', buttons: buttons(4) },
      {
        content: {
          type: 'interactive',
          interactive: {
            type: 'list',
            body: { text: 'Pick a plan' },
            action: {
              button: 'Options',
              sections: [
                { rows: [1, 2, 3, 4].map((i) => ({ id: `opt-${i}`, title: `Option ${i}` })) },
              ],
            },
          },
        },
      },
    ],
    [
      'BUTTON in Expertflow’s list shape: label, header, footer, sections, descriptions',
      {
        type: 'BUTTON',
        markdownText: 'Main menu',
        buttonMessageType: 'BUTTON',
        additionalDetails: {
          interactive: {
            type: 'list',
            button: 'Main Menue',
            header: { type: 'text', text: 'Welcome' },
            footer: { text: 'Reply any time' },
          },
        },
        buttons: [
          {
            title: 'Billing',
            payload: 'b',
            additionalButtonDetails: { sectionTitle: 'Account', description: 'Invoices' },
          },
          { title: 'Password', payload: 'p', additionalButtonDetails: { sectionTitle: 'Account' } },
          { title: 'Agent', payload: 'a', additionalButtonDetails: { sectionTitle: 'Help' } },
        ],
      },
      {
        content: {
          type: 'interactive',
          interactive: {
            type: 'list',
            header: { type: 'text', text: 'Welcome' },
            body: { text: 'Main menu' },
            footer: { text: 'Reply any time' },
            action: {
              button: 'Main Menue',
              sections: [
                {
                  title: 'Account',
                  rows: [
                    { id: 'b', title: 'Billing', description: 'Invoices' },
                    { id: 'p', title: 'Password' },
                  ],
                },
                { title: 'Help', rows: [{ id: 'a', title: 'Agent' }] },
              ],
            },
          },
        },
      },
    ],
    [
      'BUTTON with 11 options: numbered text',
      { type: 'BUTTON', markdownText: 'Choose', buttons: buttons(11) },
      {
        content: {
          type: 'text',
          text: {
            body: `Choose\n\n${Array.from({ length: 11 }, (_, i) => `${i + 1}. Option ${i + 1}`).join('\n')}`,
            preview_url: false,
          },
        },
        degraded: 'BUTTON sent as numbered text: 11 options (WhatsApp lists hold 10)',
      },
    ],
    [
      'BUTTON with a title too long for a list row: numbered text',
      {
        type: 'BUTTON',
        markdownText: 'Choose',
        buttons: buttons(2, (i) => `A really very long option number ${i}`),
      },
      {
        content: {
          type: 'text',
          text: {
            body: 'Choose\n\n1. A really very long option number 1\n2. A really very long option number 2',
            preview_url: false,
          },
        },
        degraded: 'BUTTON sent as numbered text: an option is longer than 24 characters',
      },
    ],
    [
      'BUTTON without text: numbered text (WhatsApp needs a body)',
      { type: 'BUTTON', buttons: buttons(2) },
      {
        content: { type: 'text', text: { body: '1. Option 1\n2. Option 2', preview_url: false } },
        degraded: 'BUTTON sent as numbered text: WhatsApp needs a text above buttons and lists',
      },
    ],
    [
      'TEMPLATE with components and parameters',
      {
        type: 'TEMPLATE',
        name: 'order_update',
        language: { code: 'en_US', policy: 'deterministic' },
        components: [
          {
            type: 'header',
            parameters: [
              {
                parameterType: 'image',
                additionalParameterDetails: { link: 'https://cdn.test/h.png' },
              },
            ],
          },
          {
            type: 'body',
            parameters: [
              { parameterType: 'text', additionalParameterDetails: { text: 'Ada' } },
              { parameterType: 'text', additionalParameterDetails: { value: 'A-1001' } },
              {
                parameterType: 'currency',
                additionalParameterDetails: {
                  fallback_value: '$10.99',
                  code: 'USD',
                  amount_1000: 10990,
                },
              },
              {
                parameterType: 'date_time',
                additionalParameterDetails: { fallback_value: 'June 9' },
              },
            ],
          },
          {
            type: 'button',
            additionalComponentDetails: { sub_type: 'quick_reply', index: 0 },
            parameters: [
              { parameterType: 'payload', additionalParameterDetails: { payload: 'track' } },
            ],
          },
        ],
      },
      {
        content: {
          type: 'template',
          template: {
            name: 'order_update',
            language: { policy: 'deterministic', code: 'en_US' },
            components: [
              {
                type: 'header',
                parameters: [{ type: 'image', image: { link: 'https://cdn.test/h.png' } }],
              },
              {
                type: 'body',
                parameters: [
                  { type: 'text', text: 'Ada' },
                  { type: 'text', text: 'A-1001' },
                  {
                    type: 'currency',
                    currency: { fallback_value: '$10.99', code: 'USD', amount_1000: 10990 },
                  },
                  { type: 'date_time', date_time: { fallback_value: 'June 9' } },
                ],
              },
              {
                type: 'button',
                sub_type: 'quick_reply',
                index: '0',
                parameters: [{ type: 'payload', payload: 'track' }],
              },
            ],
          },
        },
      },
    ],
    [
      'TEMPLATE without parameters, language from additionalDetails',
      { type: 'TEMPLATE', name: 'hello_world', additionalDetails: { language: 'en_US' } },
      {
        content: {
          type: 'template',
          template: { name: 'hello_world', language: { policy: 'deterministic', code: 'en_US' } },
        },
      },
    ],
    [
      'URL as text with a preview',
      { type: 'URL', markdownText: 'Our app:', mediaUrl: 'https://example.com/app' },
      {
        content: {
          type: 'text',
          text: { body: 'Our app:\nhttps://example.com/app', preview_url: true },
        },
      },
    ],
    [
      'CAROUSEL as text',
      {
        type: 'CAROUSEL',
        markdownText: 'Deals',
        elements: [{ text: 'Shoes', url: 'https://shop.test/s', buttons: [{ title: 'Buy' }] }],
      },
      {
        content: {
          type: 'text',
          text: { body: 'Deals\n\nShoes\nhttps://shop.test/s\n- Buy', preview_url: true },
        },
        degraded: 'CAROUSEL sent as text',
      },
    ],
    [
      'an unknown type with text: its text',
      { type: 'X_FUTURE', markdownText: 'readable anyway' },
      {
        content: { type: 'text', text: { body: 'readable anyway', preview_url: false } },
        degraded: 'X_FUTURE has no WhatsApp counterpart; sent its text',
      },
    ],
    [
      'a typing notification: not sent',
      { type: 'NOTIFICATION', notificationType: 'TYPING_STARTED' },
      { ignored: 'NOTIFICATION TYPING_STARTED is not customer content; 360dialog is not called' },
    ],
    [
      'a DELIVERED notification: not sent',
      { type: 'DELIVERYNOTIFICATION', messageId: 'm1', status: 'DELIVERED' },
      { ignored: 'DELIVERYNOTIFICATION DELIVERED has no WhatsApp counterpart' },
    ],
    [
      'a READ notification: a read mark',
      { type: 'DELIVERYNOTIFICATION', messageId: 'm1', status: 'READ' },
      { markRead: { messageId: 'm1', providerMessageId: undefined } },
    ],
  ]
  for (const [name, body, expected] of table) {
    it(name, () => {
      assert.deepEqual(plan(body), expected)
    })
  }

  it('quotes the customer’s message in a REPLY_TO', () => {
    const wamid = 'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA='
    assert.deepEqual(
      plan(
        { type: 'PLAIN', markdownText: 'Yes' },
        { intent: 'REPLY_TO', providerMessageId: wamid },
      ),
      {
        content: {
          type: 'text',
          text: { body: 'Yes', preview_url: false },
          context: { message_id: wamid },
        },
      },
    )
  })

  const refused: Array<[string, CimBody, string]> = [
    ['PLAIN without text', { type: 'PLAIN', markdownText: '  ' }, 'EMPTY_MESSAGE'],
    [
      'BUTTON without text or titles',
      { type: 'BUTTON', buttons: [{ payload: '' }] },
      'EMPTY_MESSAGE',
    ],
    [
      'TEMPLATE without a language',
      { type: 'TEMPLATE', name: 'hello_world' },
      'TEMPLATE_WITHOUT_LANGUAGE',
    ],
    [
      'text over 4096 characters',
      { type: 'PLAIN', markdownText: 'x'.repeat(4097) },
      'TEXT_TOO_LONG',
    ],
  ]
  for (const [name, body, code] of refused) {
    it(`refuses ${name} as terminal (${code})`, () => {
      assert.throws(
        () => plan(body),
        (error: unknown) =>
          error instanceof PluginError && error.kind === 'terminal' && error.code === code,
      )
    })
  }
})
