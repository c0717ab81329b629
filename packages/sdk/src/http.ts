/** A JSON response. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  })
}

/** The host's error shape: `{"error": {"code", "message"}}`. */
export function errorResponse(status: number, code: string, message: string): Response {
  return json({ error: { code, message } }, status)
}

/** Constant-time comparison of two strings (for signatures and tokens). */
export function timingSafeEqualString(a: string, b: string): boolean {
  const ab = new TextEncoder().encode(a)
  const bb = new TextEncoder().encode(b)
  // Compare against itself when lengths differ so the time does not reveal where they differ.
  const other = ab.length === bb.length ? bb : ab
  let diff = ab.length === bb.length ? 0 : 1
  for (let i = 0; i < ab.length; i++) diff |= ab[i]! ^ other[i]!
  return diff === 0
}
