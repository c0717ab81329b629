/**
 * @module
 * CIM buttons and carousels as Messenger's quick replies, button template and generic template,
 * within their limits; what does not fit is rendered as numbered text.
 */
import type { Button, ButtonBody, CarouselBody } from '@plugboard/sdk'
import {
  buttonUrl,
  isPhoneButton,
  nonEmpty,
  numberedOptions,
  splitText,
  TEXT_LIMIT,
} from './render.js'

export interface GraphQuickReply {
  content_type: 'text'
  title: string
  payload: string
}

export type GraphButton =
  | { type: 'postback'; title: string; payload: string }
  | { type: 'web_url'; title: string; url: string }
  | { type: 'phone_number'; title: string; payload: string }

/** A `message` object of the Send API. */
export interface GraphMessage {
  text?: string
  attachment?: { type: string; payload: Record<string, unknown> }
  quick_replies?: GraphQuickReply[]
}

/** Messages to send in order; `degraded` says what did not go out in its own form. */
export interface ButtonPlan {
  parts: GraphMessage[]
  degraded?: string
}

export const QUICK_REPLY_LIMIT = 13
export const TEMPLATE_BUTTON_LIMIT = 3
export const GENERIC_ELEMENT_LIMIT = 10
const TITLE_LIMIT = 20
const PAYLOAD_LIMIT = 1000
const TEMPLATE_TEXT_LIMIT = 640
const ELEMENT_TEXT_LIMIT = 80
/** Quick replies and the button template need a text; used when the agent's message has none. */
export const DEFAULT_PROMPT = 'Please choose:'

/** Cuts a title to Messenger's 20 characters, marking the cut. */
function shorten(title: string, limit = TITLE_LIMIT): string {
  const chars = Array.from(title)
  return chars.length <= limit ? title : `${chars.slice(0, limit - 1).join('')}…`
}

function titleOf(button: Button): string | undefined {
  return nonEmpty(button.title) ?? nonEmpty(button.payload)
}

function graphButton(button: Button): GraphButton | undefined {
  const title = titleOf(button) ?? buttonUrl(button)
  if (title === undefined) return undefined
  const url = buttonUrl(button)
  if (url) return { type: 'web_url', title: shorten(title), url }
  const payload = nonEmpty(button.payload) ?? title
  if (isPhoneButton(button)) return { type: 'phone_number', title: shorten(title), payload }
  return { type: 'postback', title: shorten(title), payload }
}

function fitsPayloads(buttons: readonly Button[]): boolean {
  return buttons.every((b) => (b.payload ?? '').length <= PAYLOAD_LIMIT)
}

function shortened(buttons: readonly Button[]): boolean {
  return buttons.some((b) => Array.from(titleOf(b) ?? '').length > TITLE_LIMIT)
}

/**
 * A BUTTON body: a button template when the agent asked for buttons (`buttonMessageType`
 * BUTTON) or a button opens a link or calls, and there are at most 3; else quick replies, up to
 * 13; else numbered text.
 */
export function planButtons(body: ButtonBody, markdownText: string | undefined): ButtonPlan {
  const buttons = body.buttons.filter((b) => titleOf(b) !== undefined || buttonUrl(b) !== undefined)
  const dropped = body.buttons.length - buttons.length
  const special = buttons.some((b) => buttonUrl(b) !== undefined || isPhoneButton(b))
  const wantsTemplate = body.buttonMessageType === 'BUTTON' || special
  const prompt = markdownText ?? DEFAULT_PROMPT
  const notes: string[] = []
  if (dropped > 0) notes.push(`${dropped} button(s) without title or payload left out`)
  if (buttons.length === 0) {
    return {
      parts: splitText(markdownText ?? '')
        .filter(Boolean)
        .map((text) => ({ text })),
      degraded: `BUTTON without usable buttons sent as text${notes.length ? `; ${notes.join('; ')}` : ''}`,
    }
  }
  if (shortened(buttons)) notes.push(`titles cut to ${TITLE_LIMIT} characters`)
  const degraded = (what: string) => ({
    degraded: [what, ...notes].join('; '),
  })

  const templateFits =
    buttons.length <= TEMPLATE_BUTTON_LIMIT &&
    Array.from(prompt).length <= TEMPLATE_TEXT_LIMIT &&
    fitsPayloads(buttons)
  if (wantsTemplate && templateFits) {
    const template: GraphMessage = {
      attachment: {
        type: 'template',
        payload: {
          template_type: 'button',
          text: prompt,
          buttons: buttons.map(graphButton).filter((b): b is GraphButton => b !== undefined),
        },
      },
    }
    return {
      parts: [template],
      ...(notes.length ? degraded('BUTTON sent as a button template') : {}),
    }
  }
  if (!special && buttons.length <= QUICK_REPLY_LIMIT && fitsPayloads(buttons)) {
    const pieces = splitText(prompt)
    const quickReplies: GraphQuickReply[] = buttons.map((b) => ({
      content_type: 'text',
      title: shorten(titleOf(b)!),
      payload: nonEmpty(b.payload) ?? titleOf(b)!,
    }))
    const parts: GraphMessage[] = pieces.map((text) => ({ text }))
    parts[parts.length - 1] = { ...parts[parts.length - 1], quick_replies: quickReplies }
    const why = wantsTemplate
      ? 'BUTTON sent as quick replies (more than 3 buttons or a long text)'
      : undefined
    return {
      parts,
      ...(why || notes.length ? degraded(why ?? 'BUTTON sent as quick replies') : {}),
    }
  }
  const text = numberedOptions(markdownText, body.buttons)
  return {
    parts: splitText(text).map((piece) => ({ text: piece })),
    ...degraded(
      `BUTTON sent as numbered text (${buttons.length} buttons${special ? ' with links or calls' : ''} exceed Messenger's limits)`,
    ),
  }
}

/**
 * A CAROUSEL body as a generic template: each element's first line is its title, the rest its
 * subtitle, `url` its image, up to 3 buttons. More than 10 elements, or an element without text,
 * become text.
 */
export function planCarousel(
  body: CarouselBody,
  markdownText: string | undefined,
): ButtonPlan | undefined {
  const elements = body.elements
  if (elements.length === 0 || elements.length > GENERIC_ELEMENT_LIMIT) return undefined
  const built: Record<string, unknown>[] = []
  let cut = false
  for (const element of elements) {
    const lines = (nonEmpty(element.text) ?? '').split('\n')
    const title = nonEmpty(lines[0])
    if (title === undefined) return undefined
    const buttons = (element.buttons ?? []).filter((b) => titleOf(b) !== undefined || buttonUrl(b))
    if (buttons.length > TEMPLATE_BUTTON_LIMIT || !fitsPayloads(buttons)) return undefined
    const subtitle = nonEmpty(lines.slice(1).join('\n'))
    cut ||=
      Array.from(title).length > ELEMENT_TEXT_LIMIT ||
      Array.from(subtitle ?? '').length > ELEMENT_TEXT_LIMIT
    cut ||= shortened(buttons)
    const item: Record<string, unknown> = { title: shorten(title, ELEMENT_TEXT_LIMIT) }
    if (subtitle) item.subtitle = shorten(subtitle, ELEMENT_TEXT_LIMIT)
    if (nonEmpty(element.url)) item.image_url = element.url
    const action = nonEmpty(element.defaultAction?.url)
    if (action) item.default_action = { type: 'web_url', url: action }
    const graphButtons = buttons.map(graphButton).filter((b): b is GraphButton => b !== undefined)
    if (graphButtons.length > 0) item.buttons = graphButtons
    built.push(item)
  }
  const parts: GraphMessage[] = []
  if (markdownText) parts.push(...splitText(markdownText, TEXT_LIMIT).map((text) => ({ text })))
  parts.push({
    attachment: { type: 'template', payload: { template_type: 'generic', elements: built } },
  })
  return {
    parts,
    ...(cut ? { degraded: 'CAROUSEL texts or button titles cut to Messenger’s limits' } : {}),
  }
}
