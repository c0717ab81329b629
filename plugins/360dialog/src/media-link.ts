/**
 * @module
 * The connector's own links to customer media, for when there is no file engine (or copying to it
 * failed): `GET /webhooks/{connector}/media?id=…&sig=…` fetches the medium from 360dialog with the
 * API key and streams it to the agent. The signature keeps the route from serving arbitrary ids;
 * links work as long as WhatsApp keeps the medium (about 30 days) and the API key stays the same.
 */
import { createHmac } from 'node:crypto'
import {
  errorResponse,
  isPluginError,
  type Logger,
  timingSafeEqualString,
  type WebhookHandler,
} from '@plugboard/sdk'
import { downloadMedia, type MediaDeps } from './media.js'

export const MEDIA_PATH = '/media'

export interface MediaLinks {
  link(mediaId: string): string
  verify(mediaId: string, signature: string): boolean
}

export function createMediaLinks(options: { key: string; publicBase: string }): MediaLinks {
  const sign = (mediaId: string) =>
    createHmac('sha256', options.key).update(mediaId).digest('base64url')
  const base = options.publicBase.replace(/\/+$/, '')
  return {
    link: (mediaId) =>
      `${base}${MEDIA_PATH}?id=${encodeURIComponent(mediaId)}&sig=${sign(mediaId)}`,
    verify: (mediaId, signature) => timingSafeEqualString(signature, sign(mediaId)),
  }
}

export function mediaHandler(
  links: MediaLinks,
  deps: Pick<MediaDeps, 'request' | 'apiKey' | 'endpoints' | 'timeoutMs'> & { log: Logger },
): WebhookHandler {
  return async (req) => {
    const id = req.query.get('id')
    const sig = req.query.get('sig')
    if (!id || !sig) {
      return errorResponse(400, 'INVALID_MEDIA_LINK', 'a media link needs "id" and "sig"')
    }
    if (!links.verify(id, sig)) {
      return errorResponse(403, 'BAD_MEDIA_LINK', 'the media link signature does not match')
    }
    try {
      const file = await downloadMedia(id, deps)
      return new Response(Buffer.from(file.data), {
        status: 200,
        headers: { 'content-type': file.contentType, 'cache-control': 'private, max-age=300' },
      })
    } catch (error) {
      const status = isPluginError(error) ? error.status : undefined
      deps.log.warn(
        { mediaId: id, status, reason: error instanceof Error ? error.message : String(error) },
        'could not fetch a WhatsApp medium for a media link',
      )
      if (status === 404 || status === 400) {
        return errorResponse(404, 'MEDIA_NOT_FOUND', 'WhatsApp no longer has this medium')
      }
      return errorResponse(
        502,
        'MEDIA_UNAVAILABLE',
        '360dialog did not serve the medium; try again',
      )
    }
  }
}
