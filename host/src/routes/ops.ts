import { Hono } from 'hono'
import type { AppDeps } from '../server.js'

/** Liveness, readiness and metrics. */
export function opsRoutes({ host, isDraining }: AppDeps): Hono {
  const app = new Hono()
  app.get('/healthz', (c) => c.json({ status: 'ok' }))
  app.get('/readyz', async (c) => {
    const connectors = host.manager.status()
    const failed = connectors
      .filter((s) => s.state === 'failed')
      .map((s) => ({ id: s.id, error: s.lastError }))
    if (isDraining()) return c.json({ status: 'not ready', reason: 'shutting down' }, 503)
    if (!host.ready) return c.json({ status: 'not ready', reason: 'starting' }, 503)
    const backend = host.backends.notReady()
    if (backend) return c.json({ status: 'not ready', ...backend }, 503)
    if (host.unifiedAdmin && !host.unifiedAdmin.synced) {
      const status = host.unifiedAdmin.status()
      return c.json(
        {
          status: 'not ready',
          reason: `Unified Admin settings not pulled from CCM yet${status.lastError ? `: ${String(status.lastError)}` : ''}`,
        },
        503,
      )
    }
    if (!host.config.ccm.url)
      return c.json({ status: 'not ready', reason: 'CCM_URL is not set' }, 503)
    // One broken connector must not take the whole host out of the load balancer.
    return c.json({ status: 'ready', connectors: connectors.length, failed })
  })
  app.get('/metrics', async (c) => {
    const body = await host.metrics.registry.metrics()
    return c.body(body, 200, { 'content-type': host.metrics.registry.contentType })
  })
  return app
}
