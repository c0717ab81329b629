/**
 * @module
 * Graph API error bodies, `{error: {message, type, code, error_subcode, fbtrace_id}}`, and the
 * failures tests ask for most.
 */
import { fbtraceId } from './ids.js'

/** How a Send API request fails instead of sending. */
export type GraphFailure =
  | {
      kind?: 'error'
      /** HTTP status; default 400 for Graph codes, 500 without one. */
      status?: number
      /** Graph error code, e.g. 613, 4, 10, 190, 551, 2. */
      code?: number
      subcode?: number
      message?: string
      /** Default `OAuthException`, as Graph names most errors. */
      type?: string
      /** Sets `is_transient` in the body. */
      transient?: boolean
      /** `Retry-After` header, seconds or an HTTP date. */
      retryAfter?: number | string
    }
  /** Holds the request unanswered (until `timeoutHoldMs` or close), then answers 504; nothing is sent. */
  | { kind: 'timeout' }
  /** Destroys the connection without an answer; nothing is sent. */
  | { kind: 'reset' }

/** Ready-made failures with Meta's codes and texts. */
export const GRAPH_ERRORS = {
  /** 613: the Send API's rate limit. */
  rateLimit: {
    status: 400,
    code: 613,
    message: '(#613) Calls to this api have exceeded the rate limit.',
  },
  /** 4: the app's request limit. */
  appRateLimit: { status: 400, code: 4, message: '(#4) Application request limit reached' },
  /** 10 / 2018278: outside the 24-hour window. */
  outsideWindow: {
    status: 400,
    code: 10,
    subcode: 2018278,
    message: '(#10) This message is sent outside of allowed window.',
  },
  /** 190: the access token is invalid or expired. */
  invalidToken: {
    status: 400,
    code: 190,
    message: 'Invalid OAuth access token - Cannot parse access token',
  },
  /** 2: a temporary failure, answered 500. */
  serverError: {
    status: 500,
    code: 2,
    message: 'An unexpected error has occurred. Please retry your request later.',
    transient: true,
  },
  /** 551: the person blocked the page or is unavailable. */
  userUnavailable: {
    status: 400,
    code: 551,
    subcode: 1545041,
    message: "(#551) This person isn't available right now.",
  },
  /** 100 / 2018001: the PSID is unknown to the page. */
  noMatchingUser: {
    status: 400,
    code: 100,
    subcode: 2018001,
    message: '(#100) No matching user found',
  },
} as const satisfies Record<string, GraphFailure>

/** A Graph error body. */
export function graphErrorBody(input: {
  code: number
  message: string
  subcode?: number
  type?: string
  transient?: boolean
}): { error: Record<string, unknown> } {
  return {
    error: {
      message: input.message,
      type: input.type ?? 'OAuthException',
      code: input.code,
      ...(input.subcode === undefined ? {} : { error_subcode: input.subcode }),
      ...(input.transient === undefined ? {} : { is_transient: input.transient }),
      fbtrace_id: fbtraceId(),
    },
  }
}

/** A Graph error as a Response. */
export function graphErrorResponse(
  status: number,
  input: Parameters<typeof graphErrorBody>[0],
  headers: Record<string, string> = {},
): Response {
  return Response.json(graphErrorBody(input), {
    status,
    headers: { 'www-authenticate': 'OAuth "Facebook Platform"', ...headers },
  })
}

/** The answer for a failure due (not `reset`, which never reaches a handler). */
export async function failureResponse(
  failure: GraphFailure,
  hold: () => Promise<void>,
): Promise<Response> {
  if (failure.kind === 'timeout') {
    await hold()
    return graphErrorResponse(504, { code: 2, message: 'Gateway Timeout', transient: true })
  }
  const given = failure.kind === 'reset' ? {} : failure
  const code = given.code ?? 2
  const status = given.status ?? (given.code === undefined ? 500 : 400)
  const headers: Record<string, string> = {}
  if (given.retryAfter !== undefined) headers['retry-after'] = String(given.retryAfter)
  return graphErrorResponse(
    status,
    {
      code,
      message: given.message ?? `(#${code}) Simulated failure`,
      ...(given.subcode === undefined ? {} : { subcode: given.subcode }),
      ...(given.type === undefined ? {} : { type: given.type }),
      ...(given.transient === undefined ? {} : { transient: given.transient }),
    },
    headers,
  )
}
