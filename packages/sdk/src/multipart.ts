import { randomBytes } from 'node:crypto'

export type MultipartPart =
  | { name: string; value: string }
  | { name: string; fileName: string; contentType: string; data: Uint8Array }

/** A multipart/form-data body; the host's HTTP client takes bytes, not FormData. */
export function multipartBody(parts: readonly MultipartPart[]): {
  body: Uint8Array
  contentType: string
} {
  const boundary = `----plugboard${randomBytes(12).toString('hex')}`
  const chunks: Buffer[] = []
  for (const part of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${quote(part.name)}"`
    if ('data' in part) {
      head += `; filename="${quote(part.fileName)}"\r\nContent-Type: ${part.contentType}`
    }
    chunks.push(Buffer.from(`${head}\r\n\r\n`, 'utf8'))
    chunks.push('data' in part ? Buffer.from(part.data) : Buffer.from(part.value, 'utf8'))
    chunks.push(Buffer.from('\r\n', 'utf8'))
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`, 'utf8'))
  return {
    body: new Uint8Array(Buffer.concat(chunks)),
    contentType: `multipart/form-data; boundary=${boundary}`,
  }
}

// A quote or line break would end the header value early.
function quote(value: string): string {
  return value.replace(/["\r\n]/g, (c) => encodeURIComponent(c))
}
