/**
 * @module
 * Validation of untrusted input as a CIM message, with issues a person can read.
 */
import { CimMessageSchema } from './schema.js'
import type { BodyOfType, CimBody, CimMessage } from './types.js'

/** One problem found in a CIM message. */
export interface CimIssue {
  /**
   * Dotted path to the offending field, e.g. `header.channelData.serviceIdentifier`. Array
   * indices are segments too (`body.buttons.0.title`); `''` is the message itself.
   */
  path: string
  message: string
}

export type CimParseResult = { ok: true; message: CimMessage } | { ok: false; issues: CimIssue[] }

/**
 * Validates `input` as a CIM message. Unknown keys and unknown body types are kept as they are,
 * so a valid message comes back deep-equal to the input.
 * @example
 * const result = parseCimMessage(await req.json())
 * if (!result.ok) return Response.json({ issues: result.issues }, { status: 400 })
 */
export function parseCimMessage(input: unknown): CimParseResult {
  const result = CimMessageSchema.safeParse(input)
  if (result.success) return { ok: true, message: result.data }
  return {
    ok: false,
    issues: result.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.message,
    })),
  }
}

/**
 * Narrows a body to the type modelled for `type`. Needed because `CimBody` includes bodies of
 * unknown types, which a plain `body.type === 'LOCATION'` check cannot exclude.
 * @example
 * if (isBodyType(message.body, 'LOCATION')) send(message.body.location.latitude)
 */
export function isBodyType<T extends string>(body: CimBody, type: T): body is BodyOfType<T> {
  return body.type === type
}
