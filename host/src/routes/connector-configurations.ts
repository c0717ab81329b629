import { BlockList, isIPv4, isIPv6 } from 'node:net'
import { getConnInfo } from '@hono/node-server/conninfo'
import { PushSchema } from '@plugboard/ccm'
import { timingSafeEqualString } from '@plugboard/sdk'
import { type Context, Hono } from 'hono'
import type { AppDeps } from '../server.js'
import { error } from './errors.js'

/**
 * `POST /connector-configurations`: CCM pushes a connector's changed Unified Admin attributes.
 * CCM sends no credentials of its own, so the caller is admitted by a shared token (when the
 * provider webhook URL or a gateway adds one) or by its network.
 */
export function connectorConfigurationRoutes({ host }: AppDeps): Hono {
  const app = new Hono()
  const push = host.config.unifiedAdmin.push
  const allow = toBlockList(push.allow, host.log)

  app.post('/connector-configurations', async (c) => {
    const ua = host.unifiedAdmin
    if (!ua) {
      return error(
        c,
        404,
        'UNIFIED_ADMIN_DISABLED',
        'this host takes no Unified Admin pushes; list its channels in unifiedAdmin.channels (SERVICE_IDENTIFIERS)',
      )
    }
    const denied = admit(c, push.token, allow)
    if (denied) {
      host.log.warn({ reason: denied }, 'connector-configurations push refused')
      host.metrics.unifiedAdmin.inc({ event: 'push', outcome: 'refused' })
      return error(c, 401, 'UNAUTHORIZED', denied)
    }
    let body: unknown
    try {
      body = await c.req.json()
    } catch {
      return error(c, 400, 'INVALID_JSON', 'the body is not valid JSON')
    }
    const parsed = PushSchema.safeParse(body)
    if (!parsed.success) {
      const message = parsed.error.issues
        .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
        .join('; ')
      return error(
        c,
        400,
        'INVALID_PUSH',
        `expected {serviceIdentifier, connectorConfigurations:[{key,type,value}]}: ${message}`,
      )
    }
    const outcome = await ua.push(parsed.data)
    return c.json(outcome.body, outcome.status)
  })
  return app
}

function admit(c: Context, token: string | undefined, allow: BlockList): string | undefined {
  if (token) {
    const header = c.req.header('authorization') ?? ''
    const given =
      (header.startsWith('Bearer ') ? header.slice(7) : undefined) ??
      c.req.header('x-connector-token') ??
      c.req.query('token')
    if (given && timingSafeEqualString(given, token)) return undefined
  }
  const address = remoteAddress(c)
  if (address && allow.check(address.ip, address.family)) return undefined
  return token
    ? 'send the push token (Authorization: Bearer, X-Connector-Token or ?token=), or push from an allowed network'
    : `pushes are accepted from ${address?.ip ?? 'this address'} only if it is in unifiedAdmin.push.allow (CONNECTOR_CONFIG_ALLOW)`
}

function remoteAddress(c: Context): { ip: string; family: 'ipv4' | 'ipv6' } | undefined {
  let ip: string | undefined
  try {
    ip = getConnInfo(c).remote.address
  } catch {
    return undefined
  }
  if (!ip) return undefined
  // An IPv4 client on a dual-stack socket shows up as ::ffff:a.b.c.d.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)
  if (mapped) return { ip: mapped[1]!, family: 'ipv4' }
  if (isIPv4(ip)) return { ip, family: 'ipv4' }
  if (isIPv6(ip)) return { ip, family: 'ipv6' }
  return undefined
}

function toBlockList(
  cidrs: readonly string[],
  log: { warn(obj: object, msg: string): void },
): BlockList {
  const list = new BlockList()
  for (const cidr of cidrs) {
    const [addr, bits] = cidr.split('/')
    const family = addr && isIPv6(addr) ? 'ipv6' : 'ipv4'
    if (!addr || !(isIPv4(addr) || isIPv6(addr))) {
      log.warn({ entry: cidr }, 'ignored an unparsable unifiedAdmin.push.allow entry')
      continue
    }
    const prefix = bits === undefined ? (family === 'ipv4' ? 32 : 128) : Number(bits)
    list.addSubnet(addr, prefix, family)
  }
  return list
}
