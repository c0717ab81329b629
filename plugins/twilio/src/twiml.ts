/** The empty TwiML answer: "received, nothing to reply". */
export function emptyTwiml(): Response {
  return new Response('<Response></Response>', {
    status: 200,
    headers: { 'content-type': 'text/xml; charset=utf-8' },
  })
}
