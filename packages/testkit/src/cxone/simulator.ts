/**
 * @module
 * NICE CXone as a BYOC middleware meets it, over real HTTP on loopback: the OAuth token endpoint
 * (access-key password grant), the Digital Engagement API with bearer checks and CXone's error
 * shape, a record of threads and messages, an agent that answers through the middleware, and
 * failures on demand (outages, 429, timeouts, resets). Point a BYOC connector's `apiUrl` at
 * `url` and its `authUrl` at `authUrl`.
 */
import { randomBytes } from 'node:crypto'
import { Hono } from 'hono'
import { createPoster, listenLoopback } from '../simulator-http.js'
import { createTasks } from '../simulator-tasks.js'
import { createAgent } from './agent.js'
import { createDeApi } from './de-api.js'
import { deError } from './errors.js'
import { createFailures, failureResponse, type Target } from './failures.js'
import { createApiTokens } from './oauth.js'
import { createRecords } from './records.js'
import type { CxoneCredentials, CxoneSimulator, CxoneSimulatorOptions } from './types.js'

const AUTH_PATH = '/auth/token'

export async function startCxoneSimulator(
  options: CxoneSimulatorOptions = {},
): Promise<CxoneSimulator> {
  const channelId = options.channelId ?? `chat_${randomBytes(8).toString('hex')}`
  const credentials: CxoneCredentials = {
    accessKeyId:
      options.credentials?.accessKeyId ?? `AK${randomBytes(10).toString('hex').toUpperCase()}`,
    accessKeySecret: options.credentials?.accessKeySecret ?? randomBytes(24).toString('base64url'),
    clientId: options.credentials?.clientId ?? `client-${randomBytes(6).toString('hex')}`,
    clientSecret: options.credentials?.clientSecret ?? randomBytes(24).toString('base64url'),
  }
  const records = createRecords()
  const failures = createFailures()
  const tasks = createTasks()
  const poster = createPoster()
  const tokens = createApiTokens(credentials, options.tokenTtlSeconds ?? 3600)
  const oneTime = new Map<string, { brandId: number; userId: number }>()
  const counts = { api: 0, auth: 0 }
  const targetOf = (path: string): Target => (path === AUTH_PATH ? 'auth' : 'api')

  const app = new Hono()
  app.use('*', async (c, next) => {
    const target = targetOf(c.req.path)
    counts[target]++
    const failure = failures.take(target)
    if (!failure) return next()
    if (failure.kind === 'timeout') {
      // With `commit` CXone did the work and only the answer is lost.
      if (failure.commit) await next()
      await tasks.sleep(options.timeoutHoldMs ?? 60_000)
      c.res = failureResponse(failure, target)
      return
    }
    return failureResponse(failure, target)
  })
  app.post(AUTH_PATH, (c) => tokens.handle(c.req.raw))
  app.route(
    '/',
    createDeApi({
      records,
      channelId: () => channelId,
      authorized: (authorization) => tokens.valid(authorization),
      redeem(token) {
        const ids = oneTime.get(token)
        oneTime.delete(token)
        return ids
      },
    }),
  )
  app.notFound((c) =>
    deError(404, `CXone simulator has no ${c.req.method} ${c.req.path}`, 'NotFound'),
  )

  const server = await listenLoopback({
    fetch: (req) => app.fetch(req),
    ...(options.port === undefined ? {} : { port: options.port }),
    refuse(incoming) {
      const target = targetOf(new URL(incoming.url ?? '/', 'http://x').pathname)
      if (failures.peek(target)?.kind !== 'reset') return false
      failures.take(target)
      counts[target]++
      return true
    },
  })

  const agent = createAgent({ poster, tasks, records, channelId: () => channelId })

  return {
    url: server.url,
    authUrl: `${server.url}${AUTH_PATH}`,
    channelId,
    credentials,
    get threads() {
      return [...records.threads.values()]
    },
    get messages() {
      return records.messages.items
    },
    get statuses() {
      return records.statuses.items
    },
    get apiRequests() {
      return counts.api
    },
    get tokenRequests() {
      return counts.auth
    },
    thread: (id) => records.threads.get(id),
    waitForMessage: (predicate, waitOptions) => records.messages.waitFor(predicate, waitOptions),
    waitForStatus: (predicate, waitOptions) => records.statuses.waitFor(predicate, waitOptions),
    async waitForClosed(threadId, waitOptions) {
      await records.closes.waitFor((id) => id === threadId, waitOptions)
    },
    expireTokens: () => tokens.expireAll(),
    failNext(n, failure = {}) {
      failures.failNext(n, failure)
    },
    setMode(mode, failure = {}) {
      failures.setDown(mode === 'down' ? failure : undefined)
    },
    oneTimeToken(ids = {}) {
      const token = randomBytes(16).toString('hex')
      oneTime.set(token, { brandId: ids.brandId ?? 1001, userId: ids.userId ?? 2002 })
      return token
    },
    agent,
    clear() {
      records.clear()
      counts.api = 0
      counts.auth = 0
    },
    async close() {
      if (tasks.closed) return
      tasks.close()
      records.abort('closed')
      await server.close()
      await poster.close()
      await tasks.drain()
    },
  }
}
