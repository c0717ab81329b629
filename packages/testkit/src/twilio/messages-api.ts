/**
 * @module
 * `POST /2010-04-01/Accounts/{sid}/Messages.json`: failures on demand first, then basic auth,
 * Twilio's checks, and the 201 Message resource.
 */
import { twilioSid } from './ids.js'
import { errorBody, messageResource, type SimulatedMessage } from './resources.js'
import { checkSend } from './send-rules.js'
import type { TwilioAccount, TwilioFailure } from './types.js'

export interface MessagesApiDeps {
  accounts: readonly TwilioAccount[]
  optedOut: ReadonlySet<string>
  /** The failure due for this request, if any. */
  nextFailure(): TwilioFailure | undefined
  /** How a `timeout` failure holds the request; resolves early when the simulator closes. */
  hold(): Promise<void>
  accepted(message: SimulatedMessage): void
}

export function createMessagesApi(
  deps: MessagesApiDeps,
): (req: Request, accountSid: string) => Promise<Response> {
  return async (req, accountSid) => {
    const failure = deps.nextFailure()
    if (failure) return failureResponse(failure, deps.hold)
    const account = deps.accounts.find((a) => a.sid === accountSid)
    if (!account || !authorized(req, account)) {
      return Response.json(errorBody(401, 20003, 'Authenticate'), {
        status: 401,
        headers: { 'www-authenticate': 'Basic realm="Twilio API"' },
      })
    }
    const form = new URLSearchParams(await req.text())
    const rejection = checkSend(form, deps.optedOut)
    if (rejection) {
      return Response.json(errorBody(rejection.status, rejection.code, rejection.message), {
        status: rejection.status,
      })
    }
    const mediaUrls = form.getAll('MediaUrl')
    const from = form.get('From') ?? undefined
    const message: SimulatedMessage = {
      sid: twilioSid(mediaUrls.length > 0 ? 'MM' : 'SM'),
      accountSid,
      to: form.get('To')!,
      from,
      messagingServiceSid: form.get('MessagingServiceSid') ?? undefined,
      body: form.get('Body') ?? undefined,
      mediaUrls,
      contentSid: form.get('ContentSid') ?? undefined,
      contentVariables: form.get('ContentVariables') ?? undefined,
      persistentActions: form.getAll('PersistentAction'),
      statusCallback: form.get('StatusCallback') ?? undefined,
      // Without a From, Twilio still has to pick a sender from the service's pool.
      status: from === undefined ? 'accepted' : 'queued',
      form: formRecord(form),
      dateCreated: new Date(),
    }
    deps.accepted(message)
    return Response.json(messageResource(message), { status: 201 })
  }
}

/** True when the request carries HTTP basic auth with this account's sid and token. */
export function authorized(req: Request, account: TwilioAccount): boolean {
  const match = /^Basic\s+(.+)$/i.exec(req.headers.get('authorization') ?? '')
  if (!match) return false
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8')
  return decoded === `${account.sid}:${account.authToken}`
}

async function failureResponse(
  failure: TwilioFailure,
  hold: () => Promise<void>,
): Promise<Response> {
  if (failure.kind === 'timeout') {
    await hold()
    return Response.json(errorBody(504, 20504, 'Gateway Timeout'), { status: 504 })
  }
  // A `reset` is normally handled before routing; answering 500 covers a reset set too late.
  const given = failure.kind === 'reset' ? {} : failure
  const status = given.status ?? 500
  const code = given.code || defaultCode(status)
  const res = Response.json(
    errorBody(status, code, given.message || `Simulated failure ${status}`),
    {
      status,
    },
  )
  if (given.retryAfter !== undefined) res.headers.set('retry-after', String(given.retryAfter))
  return res
}

function defaultCode(status: number): number {
  if (status === 429) return 20429
  if (status === 401) return 20003
  if (status === 404) return 20404
  if (status >= 500) return 20500
  return 20001
}

function formRecord(form: URLSearchParams): Record<string, string | string[]> {
  const record: Record<string, string | string[]> = {}
  for (const name of new Set(form.keys())) {
    const values = form.getAll(name)
    record[name] = values.length === 1 ? values[0]! : values
  }
  return record
}
