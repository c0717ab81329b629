import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type CimBody, type CimMessage, inboundMessage, PluginError } from '@plugboard/sdk'
import { type OutboundPlan, planOutbound } from './outbound.js'

function agent(body: CimBody): CimMessage {
  const message = inboundMessage({ serviceIdentifier: '+15550100', customerId: '+15550199', body })
  return { ...message, header: { ...message.header, sender: { id: 'a1', type: 'AGENT' } } }
}

const sms = { whatsapp: false, publicMediaUrl: (u: string) => u }
const wa = { whatsapp: true, publicMediaUrl: (u: string) => u }
const HX = 'HX0123456789abcdef0123456789abcdef'

describe('planOutbound', () => {
  const table: Array<[string, CimBody, typeof sms, OutboundPlan]> = [
    [
      'PLAIN',
      { type: 'PLAIN', markdownText: 'hi *there*' },
      sms,
      { content: { body: 'hi *there*' } },
    ],
    [
      'IMAGE with caption',
      {
        type: 'IMAGE',
        caption: 'cat',
        attachment: { mediaUrl: 'https://cdn.test/cat.jpg', mimeType: 'image/jpeg' },
      },
      wa,
      { content: { body: 'cat', mediaUrls: ['https://cdn.test/cat.jpg'] } },
    ],
    [
      'FILE without caption, markdownText as body',
      {
        type: 'FILE',
        markdownText: 'your invoice',
        attachment: { mediaUrl: 'https://cdn.test/i.pdf' },
      },
      wa,
      { content: { body: 'your invoice', mediaUrls: ['https://cdn.test/i.pdf'] } },
    ],
    [
      'VIDEO without any text',
      { type: 'VIDEO', attachment: { mediaUrl: 'https://cdn.test/v.mp4' } },
      wa,
      { content: { mediaUrls: ['https://cdn.test/v.mp4'] } },
    ],
    [
      'AUDIO',
      { type: 'AUDIO', attachment: { mediaUrl: 'https://cdn.test/a.ogg' } },
      sms,
      { content: { mediaUrls: ['https://cdn.test/a.ogg'] } },
    ],
    [
      'STICKER',
      { type: 'STICKER', mediaUrl: 'https://cdn.test/s.webp' },
      wa,
      { content: { mediaUrls: ['https://cdn.test/s.webp'] } },
    ],
    [
      'LOCATION on WhatsApp as a native location',
      {
        type: 'LOCATION',
        location: { latitude: 52.3731, longitude: 4.8922 },
        additionalDetails: { name: 'Dam Square' },
      },
      wa,
      {
        content: { body: 'Dam Square', persistentActions: ['geo:52.3731,4.8922|Dam Square'] },
      },
    ],
    [
      'LOCATION on SMS as text with a map link',
      { type: 'LOCATION', markdownText: 'Our shop', location: { latitude: 1.5, longitude: -2 } },
      sms,
      {
        content: { body: 'Our shop\nhttps://maps.google.com/?q=1.5,-2' },
        degraded: 'LOCATION sent as text with a map link (SMS has no locations)',
      },
    ],
    [
      'BUTTON as numbered options',
      {
        type: 'BUTTON',
        markdownText: 'Pick one',
        buttonMessageType: 'BUTTON',
        buttons: [
          { title: 'Sales', payload: 's' },
          { title: '', payload: 'p-only' },
          { title: 'Support' },
        ],
      },
      wa,
      {
        content: { body: 'Pick one\n\n1. Sales\n2. p-only\n3. Support' },
        degraded: 'BUTTON sent as text with numbered options',
      },
    ],
    [
      'TEMPLATE with a Content SID as name, variables from the components',
      {
        type: 'TEMPLATE',
        name: HX,
        components: [
          {
            type: 'header',
            parameters: [{ parameterType: 'text', additionalParameterDetails: { text: 'Ada' } }],
          },
          {
            type: 'body',
            parameters: [
              {
                parameterType: 'date_time',
                additionalParameterDetails: { date_time: { fallback_value: 'May 1' } },
              },
              { parameterType: 'currency', additionalParameterDetails: { fallback_value: '$5' } },
            ],
          },
        ],
      },
      wa,
      { content: { contentSid: HX, contentVariables: '{"1":"Ada","2":"May 1","3":"$5"}' } },
    ],
    [
      'TEMPLATE with contentSid and contentVariables in additionalDetails',
      {
        type: 'TEMPLATE',
        name: 'order_update',
        additionalDetails: { contentSid: HX, contentVariables: { 1: 'X-42' } },
      },
      wa,
      { content: { contentSid: HX, contentVariables: '{"1":"X-42"}' } },
    ],
    [
      'TEMPLATE without a Content SID but with text',
      { type: 'TEMPLATE', name: 'hello_world', markdownText: 'Hello!' },
      wa,
      {
        content: { body: 'Hello!' },
        degraded: 'TEMPLATE hello_world has no Twilio Content SID (HX…); sent its text',
      },
    ],
    [
      'URL',
      { type: 'URL', markdownText: 'Our app:', mediaUrl: 'https://play.example/app' },
      sms,
      { content: { body: 'Our app:\nhttps://play.example/app' } },
    ],
    [
      'CONTACT as text',
      {
        type: 'CONTACT',
        contacts: [
          { name: { formattedName: 'Ada' }, phones: [{ phone: '+1555' }, { phone: '+1666' }] },
        ],
      },
      wa,
      { content: { body: 'Ada: +1555, +1666' }, degraded: 'CONTACT sent as text' },
    ],
    [
      'CAROUSEL as text',
      {
        type: 'CAROUSEL',
        markdownText: 'Offers',
        elements: [{ text: 'Shoes', url: 'https://s.example/1', buttons: [{ title: 'Buy' }] }],
      },
      wa,
      {
        content: { body: 'Offers\n\nShoes\nhttps://s.example/1\n- Buy' },
        degraded: 'CAROUSEL sent as text',
      },
    ],
    [
      'an unknown type with text, as its text',
      { type: 'X_FUTURE', markdownText: 'still readable' },
      wa,
      {
        content: { body: 'still readable' },
        degraded: 'X_FUTURE is not carried by Twilio; sent its text',
      },
    ],
    [
      'a typing notification: not sent',
      { type: 'NOTIFICATION', notificationType: 'TYPING_STARTED' },
      wa,
      { ignored: 'NOTIFICATION TYPING_STARTED is not customer content; Twilio is not called' },
    ],
    [
      'a delivery notification: not sent',
      { type: 'DELIVERYNOTIFICATION', messageId: 'm', status: 'READ' },
      wa,
      { ignored: 'DELIVERYNOTIFICATION is not customer content; Twilio is not called' },
    ],
  ]
  for (const [name, body, options, expected] of table) {
    it(name, () => {
      assert.deepEqual(planOutbound(agent(body), options), expected)
    })
  }

  it('rewrites media URLs with the given function', () => {
    const plan = planOutbound(
      agent({ type: 'IMAGE', attachment: { mediaUrl: 'http://fe:8080/api/x' } }),
      {
        whatsapp: true,
        publicMediaUrl: (u) => u.replace('http://fe:8080', 'https://files.example'),
      },
    )
    assert.deepEqual(plan, { content: { mediaUrls: ['https://files.example/api/x'] } })
  })

  const terminal: Array<[string, CimBody, string]> = [
    ['an empty PLAIN', { type: 'PLAIN', markdownText: '' }, 'EMPTY_MESSAGE'],
    ['an unknown type without text', { type: 'X_FUTURE' }, 'EMPTY_MESSAGE'],
    [
      'a template without Content SID or text',
      { type: 'TEMPLATE', name: 'hello' },
      'TEMPLATE_WITHOUT_CONTENT_SID',
    ],
    ['BUTTON without text or titles', { type: 'BUTTON', buttons: [] }, 'EMPTY_MESSAGE'],
  ]
  for (const [name, body, code] of terminal) {
    it(`refuses ${name} as terminal (${code}), never drops it silently`, () => {
      assert.throws(
        () => planOutbound(agent(body), wa),
        (e) => e instanceof PluginError && e.kind === 'terminal' && e.code === code,
      )
    })
  }
})
