import { redactConfig, timingSafeEqualString } from '@plugboard/sdk'
import { Hono } from 'hono'
import type { AppDeps } from '../server.js'
import { error } from './errors.js'

/** Operator API behind `Authorization: Bearer <ADMIN_TOKEN>`. */
export function adminRoutes({ host }: AppDeps): Hono {
  const app = new Hono()
  app.use('*', async (c, next) => {
    const token = host.config.admin.token
    if (!token)
      return error(c, 404, 'ADMIN_DISABLED', 'the admin API is off; set ADMIN_TOKEN to enable it')
    const header = c.req.header('authorization') ?? ''
    const given = header.startsWith('Bearer ') ? header.slice(7) : ''
    if (!given || !timingSafeEqualString(given, token)) {
      return error(c, 401, 'UNAUTHORIZED', 'send Authorization: Bearer <ADMIN_TOKEN>')
    }
    await next()
  })
  app.get('/connectors', async (c) => {
    const stats = await host.pipeline.stats()
    return c.json({
      connectors: host.manager.status(),
      queue: stats,
      lastReload: host.lastReload ?? null,
    })
  })
  app.post('/connectors/:id/restart', async (c) => {
    const id = c.req.param('id')
    if (!host.manager.has(id)) return error(c, 404, 'CONNECTOR_NOT_FOUND', `no connector '${id}'`)
    return c.json(await host.manager.restart(id))
  })
  app.get('/config', (c) => {
    const connectors = host.config.connectors.map((conn) => {
      const plugin = host.registry.get(conn.plugin)
      return {
        ...conn,
        config: plugin
          ? redactConfig(plugin.descriptor.config, conn.config)
          : '[plugin not loaded]',
      }
    })
    return c.json({ connectors, channels: host.config.channels })
  })
  app.post('/reload', async (c) => c.json(await host.reload()))
  app.get('/unified-admin', (c) =>
    host.unifiedAdmin
      ? c.json(host.unifiedAdmin.status())
      : error(
          c,
          404,
          'UNIFIED_ADMIN_DISABLED',
          'no channels take their settings from Unified Admin',
        ),
  )
  app.post('/unified-admin/resync', async (c) =>
    host.unifiedAdmin
      ? c.json(await host.unifiedAdmin.resync())
      : error(
          c,
          404,
          'UNIFIED_ADMIN_DISABLED',
          'no channels take their settings from Unified Admin',
        ),
  )
  app.get('/dlq', async (c) => {
    const limit = Number(c.req.query('limit') ?? 100)
    const connectorId = c.req.query('connector')
    return c.json({
      deadLetters: await host.pipeline.listDead({ limit, ...(connectorId ? { connectorId } : {}) }),
    })
  })
  app.post('/dlq/replay', async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { ids?: unknown }
    const ids = Array.isArray(body.ids) ? body.ids.map(String) : undefined
    return c.json({ replayed: await host.pipeline.replay(ids) })
  })
  return app
}
