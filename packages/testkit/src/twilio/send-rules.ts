/**
 * @module
 * The checks Twilio's Messages API makes before it accepts a message, with its error codes.
 */

export interface Rejection {
  status: number
  code: number
  message: string
}

const PHONE = /^\+[1-9]\d{6,14}$/

/** Why Twilio would refuse this send, or undefined when it would accept it. */
export function checkSend(
  form: URLSearchParams,
  optedOut: ReadonlySet<string>,
): Rejection | undefined {
  const to = form.get('To')
  const from = form.get('From')
  const service = form.get('MessagingServiceSid')
  const body = form.get('Body')
  const content = form.get('ContentSid')
  if (!to) return reject(21604, "A 'To' phone number is required.")
  if (!from && !service) return reject(21603, "A 'From' phone number is required.")
  if (service && !/^MG[0-9a-f]{32}$/i.test(service)) {
    return reject(21701, `The Messaging Service Sid ${service} is invalid.`)
  }
  if (!body && form.getAll('MediaUrl').length === 0 && !content) {
    return reject(21602, 'Message body is required.')
  }
  const whatsappTo = to.startsWith('whatsapp:')
  if (!PHONE.test(whatsappTo ? to.slice('whatsapp:'.length) : to)) {
    return reject(21211, `The 'To' number ${to} is not a valid phone number.`)
  }
  if (from && from.startsWith('whatsapp:') !== whatsappTo) {
    return reject(63007, `Twilio could not find a Channel with the specified From address: ${from}`)
  }
  if (body && [...body].length > 1600) {
    return reject(21617, 'The concatenated message body exceeds the 1600 character limit.')
  }
  const variables = form.get('ContentVariables')
  if (variables !== null && !isJsonObject(variables)) {
    return reject(21656, 'The ContentVariables Parameter is invalid.')
  }
  for (const url of form.getAll('MediaUrl')) {
    if (!/^https?:\/\//.test(url)) return reject(21620, `Invalid media URL(s): ${url}`)
  }
  if (optedOut.has(to.replace(/^whatsapp:/, ''))) {
    return reject(21610, 'Attempt to send to unsubscribed recipient')
  }
  return undefined
}

function reject(code: number, message: string): Rejection {
  return { status: 400, code, message }
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value)
  } catch {
    return false
  }
}
