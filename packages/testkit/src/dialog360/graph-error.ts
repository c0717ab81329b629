/**
 * @module
 * Error answers as 360dialog passes them on from Meta's Graph API,
 * `{error: {message, type, code, error_data, error_subcode, fbtrace_id}}`, and 360dialog's own
 * answer to a wrong API key.
 */
import { traceId } from './ids.js'

export interface GraphErrorInput {
  status: number
  code: number
  message: string
  details?: string
  subcode?: number
  type?: string
}

export function graphError(input: GraphErrorInput): Response {
  const body = {
    error: {
      message: input.message,
      type: input.type ?? 'OAuthException',
      code: input.code,
      error_data: { messaging_product: 'whatsapp', details: input.details ?? input.message },
      ...(input.subcode === undefined ? {} : { error_subcode: input.subcode }),
      fbtrace_id: traceId(),
    },
  }
  return Response.json(body, { status: input.status })
}

/** 360dialog's own answer when the D360-API-KEY header is missing or unknown. */
export function invalidApiKey(): Response {
  return Response.json({ error: 'Invalid api key' }, { status: 401 })
}

/** The Graph error code a failure of this status carries when none is given. */
export function defaultCode(status: number): { code: number; message: string } {
  if (status === 429) return { code: 130429, message: 'Rate limit hit' }
  if (status === 503) return { code: 131016, message: 'Service unavailable' }
  if (status >= 500) return { code: 131000, message: 'Something went wrong' }
  if (status === 401 || status === 403) return { code: 0, message: 'AuthException' }
  return { code: 100, message: 'Invalid parameter' }
}
