import { Hono } from 'hono'
import type { Host } from './host.js'
import { adminRoutes } from './routes/admin.js'
import { ccmRoutes } from './routes/ccm.js'
import { connectorConfigurationRoutes } from './routes/connector-configurations.js'
import { error } from './routes/errors.js'
import { opsRoutes } from './routes/ops.js'
import { webhookRoutes } from './routes/webhooks.js'

export interface AppDeps {
  host: Host
  isDraining(): boolean
}

/** The host's single HTTP surface (one port). */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono()
  app.route('/', opsRoutes(deps))
  app.route('/', connectorConfigurationRoutes(deps))
  app.route('/', ccmRoutes(deps))
  app.route('/webhooks', webhookRoutes(deps))
  app.route('/admin', adminRoutes(deps))
  app.notFound((c) => error(c, 404, 'NOT_FOUND', `no route ${c.req.method} ${c.req.path}`))
  app.onError((err, c) => {
    deps.host.log.error({ err, path: c.req.path }, 'request failed')
    return error(c, 500, 'INTERNAL', 'the host failed to handle the request; see its log')
  })
  return app
}
