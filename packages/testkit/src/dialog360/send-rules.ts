/**
 * @module
 * The checks the Cloud API makes before it accepts a message, answered as Graph errors: a
 * missing `messaging_product`, a bad recipient, a payload that does not match its type, WhatsApp's
 * limits on interactive messages, and the closed 24-hour window.
 */

export interface Rejection {
  status: number
  code: number
  message: string
  details: string
}

const TYPES = new Set([
  'text',
  'image',
  'audio',
  'video',
  'document',
  'sticker',
  'location',
  'contacts',
  'interactive',
  'template',
  'reaction',
])
const MEDIA = new Set(['image', 'audio', 'video', 'document', 'sticker'])

type Json = Record<string, unknown>

/** Why the Cloud API would refuse this body, or undefined when it would accept it. */
export function checkSend(
  body: Json,
  windowClosed: (to: string) => boolean,
): Rejection | undefined {
  if (body.messaging_product !== 'whatsapp') {
    return invalid('The parameter messaging_product is required and must be "whatsapp".')
  }
  const recipientType = body.recipient_type
  if (recipientType !== undefined && recipientType !== 'individual' && recipientType !== 'group') {
    return invalid(`recipient_type "${String(recipientType)}" is not individual or group.`)
  }
  const to = body.to
  if (typeof to !== 'string' || !/^\+?[0-9]{6,15}$/.test(to)) {
    return invalid(`Param to "${String(to)}" is not a valid WhatsApp id.`)
  }
  const type = typeof body.type === 'string' ? body.type : 'text'
  if (!TYPES.has(type)) {
    return {
      status: 400,
      code: 131051,
      message: 'Unsupported message type',
      details: `type ${type}`,
    }
  }
  const payload = body[type]
  if (!isObject(payload)) return invalid(`Param ${type} is required for type ${type}.`)
  const problem = checkPayload(type, payload)
  if (problem) return invalid(problem)
  if (type !== 'template' && type !== 'reaction' && windowClosed(to.replace(/^\+/, ''))) {
    return {
      status: 400,
      code: 131047,
      message: 'Re-engagement message',
      details:
        'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
    }
  }
  return undefined
}

function checkPayload(type: string, p: Json): string | undefined {
  if (type === 'text') {
    if (typeof p.body !== 'string' || p.body === '') return "Param text['body'] is required."
    if ([...p.body].length > 4096) return "Param text['body'] must be at most 4096 characters."
    return undefined
  }
  if (MEDIA.has(type)) {
    if (typeof p.id !== 'string' && typeof p.link !== 'string') {
      return `Param ${type} needs an id or a link.`
    }
    if (typeof p.link === 'string' && !/^https?:\/\//.test(p.link)) {
      return `Param ${type}['link'] is not a valid URL.`
    }
    if (p.caption !== undefined && (type === 'audio' || type === 'sticker')) {
      return `Param ${type}['caption'] is not allowed.`
    }
    return undefined
  }
  if (type === 'location') {
    if (typeof p.latitude !== 'number' || typeof p.longitude !== 'number') {
      return 'Params location latitude and longitude are required numbers.'
    }
    return undefined
  }
  if (type === 'contacts') return checkContacts(p)
  if (type === 'interactive') return checkInteractive(p)
  if (type === 'template') {
    if (typeof p.name !== 'string' || p.name === '') return "Param template['name'] is required."
    const language = p.language
    if (!isObject(language) || typeof language.code !== 'string') {
      return "Param template['language']['code'] is required."
    }
    return undefined
  }
  if (type === 'reaction' && typeof p.message_id !== 'string') {
    return "Param reaction['message_id'] is required."
  }
  return undefined
}

// `contacts` is an array, so the caller's object check saw the array; look at the items.
function checkContacts(p: unknown): string | undefined {
  const cards = Array.isArray(p) ? p : undefined
  if (!cards || cards.length === 0) return 'Param contacts must be a non-empty array.'
  for (const card of cards) {
    const name = isObject(card) ? card.name : undefined
    if (!isObject(name) || typeof name.formatted_name !== 'string') {
      return "Param contacts[]['name']['formatted_name'] is required."
    }
    const parts = ['first_name', 'last_name', 'middle_name', 'suffix', 'prefix']
    if (!parts.some((k) => typeof name[k] === 'string')) {
      return "Param contacts[]['name'] needs one of first_name, last_name, middle_name, suffix, prefix."
    }
  }
  return undefined
}

function checkInteractive(p: Json): string | undefined {
  const body = p.body
  if (!isObject(body) || typeof body.text !== 'string' || body.text === '') {
    return "Param interactive['body']['text'] is required."
  }
  if ([...body.text].length > 1024) return "Param interactive['body']['text'] is too long."
  const action = isObject(p.action) ? p.action : {}
  if (p.type === 'button') {
    const buttons = Array.isArray(action.buttons) ? action.buttons : []
    if (buttons.length < 1 || buttons.length > 3) return 'Interactive buttons must be 1 to 3.'
    for (const b of buttons) {
      const reply = isObject(b) && isObject(b.reply) ? b.reply : undefined
      if (!reply || typeof reply.id !== 'string' || typeof reply.title !== 'string') {
        return 'Each button needs reply.id and reply.title.'
      }
      if ([...reply.title].length > 20) return 'Button title length is more than 20 characters.'
    }
    return undefined
  }
  if (p.type === 'list') {
    if (typeof action.button !== 'string' || [...action.button].length > 20) {
      return "Param interactive['action']['button'] is required, at most 20 characters."
    }
    const sections = Array.isArray(action.sections) ? action.sections : []
    if (sections.length < 1 || sections.length > 10) return 'A list needs 1 to 10 sections.'
    let rows = 0
    for (const s of sections) {
      if (!isObject(s) || !Array.isArray(s.rows) || s.rows.length === 0)
        return 'Each section needs rows.'
      if (sections.length > 1 && typeof s.title !== 'string') {
        return 'Each section needs a title when there are several.'
      }
      for (const r of s.rows) {
        rows++
        if (!isObject(r) || typeof r.id !== 'string' || typeof r.title !== 'string') {
          return 'Each row needs an id and a title.'
        }
        if ([...r.title].length > 24) return 'Row title length is more than 24 characters.'
        if (typeof r.description === 'string' && [...r.description].length > 72) {
          return 'Row description length is more than 72 characters.'
        }
      }
    }
    if (rows > 10) return 'A list holds at most 10 rows.'
    return undefined
  }
  return `Interactive type "${String(p.type)}" is not supported by this simulator.`
}

function invalid(details: string): Rejection {
  return { status: 400, code: 100, message: '(#100) Invalid parameter', details }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null
}
