import { Hono } from 'hono'
import type { AppDeps } from '../server.js'
import { error } from './errors.js'

/** Provider webhooks: `/webhooks/{connectorId}/…` goes to that connector's current instance. */
export function webhookRoutes({ host, isDraining }: AppDeps): Hono {
  const app = new Hono()
  app.all('/:connectorId/*', async (c) => {
    const connectorId = c.req.param('connectorId')
    let response: Response
    if (isDraining()) {
      response = Response.json(
        { error: { code: 'DRAINING', message: 'the host is shutting down; retry shortly' } },
        { status: 503 },
      )
    } else {
      response = await host.manager.webhook(connectorId, c.req.raw)
    }
    const known = host.manager.has(connectorId)
    const label = known ? connectorId : 'unknown'
    host.metrics.webhookResponses.inc({ connector: label, status: String(response.status) })
    if (response.status === 401 || response.status === 403) {
      host.metrics.signatureFailures.inc({ connector: label })
      host.log.warn(
        { connector: connectorId, status: response.status, path: c.req.path },
        'webhook refused: bad or missing signature',
      )
    }
    return response
  })
  app.all('/:connectorId', (c) =>
    error(
      c,
      404,
      'NOT_FOUND',
      'add the plugin route after the connector id, e.g. /webhooks/<id>/message',
    ),
  )
  return app
}
