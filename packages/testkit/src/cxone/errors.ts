/**
 * @module
 * CXone's error bodies: `{"errors":[{message, errorCode, field, parameters}], "uid"}` from the DE
 * API, OAuth's `{"error", "error_description"}` from the token endpoint.
 */
import { randomUUID } from 'node:crypto'

export function deError(
  status: number,
  message: string,
  errorCode: string,
  field: string | null = null,
  headers: Record<string, string> = {},
): Response {
  return Response.json(
    { errors: [{ message, errorCode, field, parameters: {} }], uid: randomUUID() },
    { status, headers },
  )
}

export function oauthError(status: number, error: string, description: string): Response {
  return Response.json(
    { error, error_description: description },
    { status, headers: { 'cache-control': 'no-store' } },
  )
}
