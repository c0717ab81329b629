import type { HttpClient } from './context.js'
import { classifyHttpStatus, PluginError } from './errors.js'
import { multipartBody } from './multipart.js'

export interface FileEngineFile {
  data: Uint8Array
  fileName: string
  mimeType: string
}

/**
 * Uploads a customer's medium to CX's file engine (`POST {FILE_ENGINE_URL}/api/uploadFileStream`,
 * multipart `file`) and resolves with the stored name, which `…/api/downloadFileStream?filename=`
 * serves. Failures are PluginErrors classified by status, so a plugin can fall back or retry.
 */
export async function uploadToFileEngine(
  fileEngineUrl: string,
  file: FileEngineFile,
  deps: { request: HttpClient; timeoutMs?: number },
): Promise<string> {
  const { body, contentType } = multipartBody([
    { name: 'file', fileName: file.fileName, contentType: file.mimeType, data: file.data },
  ])
  const res = await deps.request(`${fileEngineUrl.replace(/\/+$/, '')}/api/uploadFileStream`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
    ...(deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs }),
  })
  const kind = classifyHttpStatus(res.status)
  if (kind !== 'ok') {
    throw new PluginError(
      kind,
      'FILE_ENGINE_UPLOAD_FAILED',
      `the file engine answered ${res.status}`,
      { status: res.status },
    )
  }
  let name: unknown
  try {
    name = ((await res.json()) as { name?: unknown }).name
  } catch {
    name = undefined
  }
  if (typeof name !== 'string' || name === '') {
    throw PluginError.terminal('FILE_ENGINE_UPLOAD_FAILED', 'the file engine answer has no "name"')
  }
  return name
}
