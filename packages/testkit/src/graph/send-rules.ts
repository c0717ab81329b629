/**
 * @module
 * The Send API's checks on a request body, each refusal with Graph's code and text
 * (specs/providers.md §3): recipient, messaging type and tag, content and its limits.
 */

export interface Refusal {
  status: number
  code: number
  subcode?: number
  message: string
}

const MESSAGING_TYPES = new Set(['RESPONSE', 'UPDATE', 'MESSAGE_TAG'])
const SENDER_ACTIONS = new Set(['typing_on', 'typing_off', 'mark_seen'])
const ATTACHMENT_TYPES = new Set(['image', 'video', 'audio', 'file', 'template'])
const BUTTON_TYPES = new Set(['postback', 'web_url', 'phone_number'])

const param = (message: string): Refusal => ({
  status: 400,
  code: 100,
  message: `(#100) ${message}`,
})

type Json = Record<string, unknown>
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const chars = (s: string) => Array.from(s).length

/** The first problem of a Send API body, or undefined when Meta would take it. */
export function checkSendBody(body: unknown): Refusal | undefined {
  if (!isObject(body)) return param('param recipient must be non-empty.')
  const recipient = body.recipient
  if (!isObject(recipient) || typeof recipient.id !== 'string' || recipient.id === '') {
    return param('The parameter recipient is required')
  }
  const hasAction = body.sender_action !== undefined
  const hasMessage = body.message !== undefined
  if (hasAction === hasMessage) {
    return param('Must send either message or sender action')
  }
  if (hasAction) {
    if (!SENDER_ACTIONS.has(String(body.sender_action))) {
      return param('param sender_action must be one of {TYPING_ON, TYPING_OFF, MARK_SEEN}')
    }
    return undefined
  }
  const type = body.messaging_type
  if (typeof type !== 'string' || !MESSAGING_TYPES.has(type)) {
    return param('param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}')
  }
  if (type === 'MESSAGE_TAG' && (typeof body.tag !== 'string' || body.tag === '')) {
    return param('Tag is required for MESSAGE_TAG messaging type')
  }
  return checkMessage(body.message)
}

function checkMessage(message: unknown): Refusal | undefined {
  if (!isObject(message)) return param('param message must be a JSON object')
  const { text, attachment, quick_replies: quickReplies } = message
  if (text === undefined && attachment === undefined) {
    return param('Param message must contain text or attachment')
  }
  if (text !== undefined && attachment !== undefined) {
    return param('Only one of text or attachment can be specified')
  }
  if (text !== undefined) {
    if (typeof text !== 'string' || text === '')
      return param('param message[text] must be non-empty.')
    if (chars(text) > 2000) {
      return param('Length of param message[text] must be less than or equal to 2000')
    }
  }
  if (attachment !== undefined) {
    const problem = checkAttachment(attachment)
    if (problem) return problem
  }
  if (quickReplies !== undefined) {
    if (!Array.isArray(quickReplies) || quickReplies.length === 0 || quickReplies.length > 13) {
      return param('param message[quick_replies] must have between 1 and 13 elements')
    }
    for (const qr of quickReplies) {
      if (!isObject(qr)) return param('param message[quick_replies] must be an array of objects')
      if (qr.content_type === 'text') {
        if (typeof qr.title !== 'string' || qr.title === '' || chars(qr.title) > 20) {
          return param('Quick reply title must be between 1 and 20 characters')
        }
        if (typeof qr.payload !== 'string' || qr.payload === '' || qr.payload.length > 1000) {
          return param('Quick reply payload must be between 1 and 1000 characters')
        }
      }
    }
  }
  return undefined
}

function checkAttachment(attachment: unknown): Refusal | undefined {
  if (!isObject(attachment) || !ATTACHMENT_TYPES.has(String(attachment.type))) {
    return param(
      'param message[attachment][type] must be one of {IMAGE, AUDIO, VIDEO, FILE, TEMPLATE}',
    )
  }
  const payload = attachment.payload
  if (!isObject(payload)) return param('param message[attachment][payload] must be non-empty.')
  if (attachment.type !== 'template') {
    if (typeof payload.url !== 'string' && typeof payload.attachment_id !== 'string') {
      return param('Attachment needs a url or an attachment_id')
    }
    return undefined
  }
  if (payload.template_type === 'button') {
    if (typeof payload.text !== 'string' || payload.text === '' || chars(payload.text) > 640) {
      return param('param message[attachment][payload][text] must be between 1 and 640 characters')
    }
    return checkButtons(payload.buttons, 1)
  }
  if (payload.template_type === 'generic') {
    const elements = payload.elements
    if (!Array.isArray(elements) || elements.length === 0 || elements.length > 10) {
      return param('param elements must have between 1 and 10 elements')
    }
    for (const element of elements) {
      if (!isObject(element) || typeof element.title !== 'string' || element.title === '') {
        return param('param elements[title] must be non-empty.')
      }
      if (chars(element.title) > 80)
        return param('param elements[title] must be at most 80 characters')
      if (element.buttons !== undefined) {
        const problem = checkButtons(element.buttons, 1)
        if (problem) return problem
      }
    }
    return undefined
  }
  return param('param template_type must be one of {button, generic}')
}

function checkButtons(buttons: unknown, min: number): Refusal | undefined {
  if (!Array.isArray(buttons) || buttons.length < min || buttons.length > 3) {
    return param('param buttons must have between 1 and 3 elements')
  }
  for (const button of buttons) {
    if (!isObject(button) || !BUTTON_TYPES.has(String(button.type))) {
      return param('param buttons[type] must be one of {postback, web_url, phone_number}')
    }
    if (typeof button.title !== 'string' || button.title === '' || chars(button.title) > 20) {
      return param('button title must be between 1 and 20 characters')
    }
    if (button.type === 'web_url' && typeof button.url !== 'string') {
      return param('param buttons[url] must be a valid URL')
    }
    if (
      button.type !== 'web_url' &&
      (typeof button.payload !== 'string' || button.payload === '')
    ) {
      return param('param buttons[payload] must be non-empty.')
    }
  }
  return undefined
}
