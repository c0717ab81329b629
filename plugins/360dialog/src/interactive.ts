/**
 * @module
 * CIM `BUTTON` bodies as WhatsApp interactive messages: up to 3 reply buttons (titles up to 20
 * characters), else a list of up to 10 rows (titles up to 24). Anything bigger is sent as
 * numbered text. Expertflow's bots describe lists in `additionalDetails.interactive` (`type`,
 * `button`, `header`, `footer`) and rows in `additionalButtonDetails` (`sectionTitle`,
 * `description`); both are honoured.
 */
import type { ButtonBody } from '@plugboard/sdk'
import { chars, cut, nonEmpty, numberedOptions } from './render.js'

const MAX_BUTTONS = 3
const MAX_BUTTON_TITLE = 20
const MAX_ROWS = 10
const MAX_ROW_TITLE = 24
const MAX_ROW_DESCRIPTION = 72
const MAX_ID = 200
const MAX_BODY = 1024

interface Option {
  id: string
  title: string
  description: string | undefined
  section: string | undefined
}

export type InteractivePlan =
  | { interactive: Record<string, unknown>; degraded?: string }
  | { text: string; degraded: string }
  | { empty: true }

export function planInteractive(
  body: ButtonBody,
  markdownText: string | undefined,
): InteractivePlan {
  const hint = asRecord(body.additionalDetails?.interactive)
  const intro = markdownText ?? nonEmpty(asRecord(hint?.body)?.text)
  const options: Option[] = body.buttons.flatMap((b) => {
    const title = nonEmpty(b.title) ?? nonEmpty(b.payload)
    if (title === undefined) return []
    const details = b.additionalButtonDetails ?? {}
    return [
      {
        id: nonEmpty(b.payload) ?? title,
        title,
        description: nonEmpty(details.description),
        section: nonEmpty(details.sectionTitle),
      },
    ]
  })
  if (options.length === 0) {
    return intro === undefined
      ? { empty: true }
      : { text: intro, degraded: 'BUTTON without any button title sent as text' }
  }
  const asText = (why: string): InteractivePlan => ({
    text: numberedOptions(
      intro,
      options.map((o) => o.title),
    ),
    degraded: `BUTTON sent as numbered text: ${why}`,
  })
  if (intro === undefined) return asText('WhatsApp needs a text above buttons and lists')
  if (chars(intro) > MAX_BODY) return asText(`the text is longer than ${MAX_BODY} characters`)
  if (new Set(options.map((o) => o.id)).size !== options.length) {
    return asText('two buttons have the same payload')
  }
  if (options.some((o) => chars(o.id) > MAX_ID)) {
    return asText(`a payload is longer than ${MAX_ID} characters`)
  }
  const frame = {
    ...(validHeader(hint?.header) ? { header: hint?.header } : {}),
    body: { text: intro },
    ...(nonEmpty(asRecord(hint?.footer)?.text)
      ? { footer: { text: asRecord(hint?.footer)?.text } }
      : {}),
  }
  const wantsList = hint?.type === 'list' || options.some((o) => o.description || o.section)
  if (
    !wantsList &&
    options.length <= MAX_BUTTONS &&
    options.every((o) => chars(o.title) <= MAX_BUTTON_TITLE)
  ) {
    return {
      interactive: {
        type: 'button',
        ...frame,
        action: {
          buttons: options.map((o) => ({ type: 'reply', reply: { id: o.id, title: o.title } })),
        },
      },
    }
  }
  if (options.length > MAX_ROWS) {
    return asText(`${options.length} options (WhatsApp lists hold ${MAX_ROWS})`)
  }
  if (options.some((o) => chars(o.title) > MAX_ROW_TITLE)) {
    return asText(`an option is longer than ${MAX_ROW_TITLE} characters`)
  }
  const cutDescriptions = options.some(
    (o) => o.description !== undefined && chars(o.description) > MAX_ROW_DESCRIPTION,
  )
  const label = nonEmpty(hint?.button) ?? 'Options'
  return {
    interactive: {
      type: 'list',
      ...frame,
      action: { button: cut(label, MAX_BUTTON_TITLE), sections: sections(options) },
    },
    ...(cutDescriptions || chars(label) > MAX_BUTTON_TITLE
      ? { degraded: 'BUTTON list: a description or the list button label was shortened' }
      : {}),
  }
}

// Rows keep their order; consecutive rows of one section title form one section.
function sections(options: readonly Option[]): Record<string, unknown>[] {
  const result: Array<{ title?: string; rows: Record<string, unknown>[] }> = []
  for (const o of options) {
    const last = result.at(-1)
    const section =
      last && last.title === (o.section === undefined ? undefined : cut(o.section, MAX_ROW_TITLE))
        ? last
        : undefined
    const row = {
      id: o.id,
      title: o.title,
      ...(o.description ? { description: cut(o.description, MAX_ROW_DESCRIPTION) } : {}),
    }
    if (section) section.rows.push(row)
    else {
      result.push({
        ...(o.section === undefined ? {} : { title: cut(o.section, MAX_ROW_TITLE) }),
        rows: [row],
      })
    }
  }
  // With more than one section WhatsApp wants every section titled.
  if (result.length > 1) {
    result.forEach((s, i) => {
      s.title ??= `Options ${i + 1}`
    })
  }
  return result
}

function validHeader(header: unknown): boolean {
  const h = asRecord(header)
  return h !== undefined && typeof h.type === 'string'
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined
}
