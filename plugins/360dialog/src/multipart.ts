import { randomBytes } from 'node:crypto'

export interface FilePart {
  name: string
  fileName: string
  contentType: string
  data: Uint8Array
}

/** A multipart/form-data body with one file; the host's HTTP client takes bytes, not FormData. */
export function multipartFile(part: FilePart): { body: Uint8Array; contentType: string } {
  const boundary = `----plugboard-360-${randomBytes(12).toString('hex')}`
  const head =
    `--${boundary}\r\n` +
    `Content-Disposition: form-data; name="${quoted(part.name)}"; filename="${quoted(part.fileName)}"\r\n` +
    `Content-Type: ${part.contentType}\r\n\r\n`
  const body = Buffer.concat([
    Buffer.from(head, 'utf8'),
    Buffer.from(part.data),
    Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'),
  ])
  return { body: new Uint8Array(body), contentType: `multipart/form-data; boundary=${boundary}` }
}

// Quotes and line breaks would end the header value early.
function quoted(value: string): string {
  return value.replace(/["\r\n]/g, (c) => encodeURIComponent(c))
}
