import { isHostError } from '@plugboard/core'
import { parseCimMessage } from '@plugboard/sdk'
import type { Context } from 'hono'
import { Hono } from 'hono'
import type { AppDeps } from '../server.js'
import { error } from './errors.js'

/**
 * CCM → host: an outbound CIM message (agent or bot reply). It is answered only once the message
 * is durable in the pipeline; a message the host cannot take is refused with nothing queued.
 */
export function ccmRoutes({ host, isDraining }: AppDeps): Hono {
  const app = new Hono()
  const receive = async (c: Context) => {
    const respond = (
      status: number,
      code: string,
      message: string,
      extra?: Record<string, unknown>,
    ) => {
      host.metrics.webhookResponses.inc({ connector: 'ccm', status: String(status) })
      return error(c, status, code, message, extra)
    }
    if (isDraining()) return respond(503, 'DRAINING', 'the host is shutting down; retry shortly')
    let body: unknown
    try {
      body = await c.req.json()
    } catch {
      return respond(
        400,
        'INVALID_JSON',
        'the body is not valid JSON; send a CIM message as application/json',
      )
    }
    const parsed = parseCimMessage(body)
    if (!parsed.ok) {
      host.log.warn({ issues: parsed.issues }, 'CCM sent an invalid CIM message')
      return respond(
        400,
        'MESSAGE_INVALID',
        `invalid CIM message: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
        {
          issues: parsed.issues,
        },
      )
    }
    const message = parsed.message
    const sid = message.header.channelData.serviceIdentifier
    const channel = host.channels.get(sid)
    if (!channel) {
      host.log.warn(
        { serviceIdentifier: sid, messageId: message.id },
        'outbound message for an unknown channel',
      )
      return respond(
        404,
        'CHANNEL_NOT_FOUND',
        `no channel with serviceIdentifier '${sid}' is configured on this host`,
      )
    }
    try {
      const result = await host.pipeline.submit({
        direction: 'outbound',
        connectorId: channel.connector,
        message,
      })
      host.metrics.messages.inc({
        connector: channel.connector,
        direction: 'outbound',
        outcome: result.status,
      })
      host.metrics.webhookResponses.inc({ connector: 'ccm', status: '200' })
      host.inactivity?.forget(message)
      return c.json({ status: result.status, id: result.id, connector: channel.connector })
    } catch (err) {
      if (isHostError(err)) return respond(err.status, err.code, `${err.message}. ${err.fix}`)
      throw err
    }
  }
  app.post('/ccm-msg/receive', receive)
  app.post('/message/receive', receive)
  app.post('/', receive)
  return app
}
