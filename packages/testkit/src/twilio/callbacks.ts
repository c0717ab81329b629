/**
 * @module
 * Status callbacks of sent messages: each status of the configured sequence is posted, signed,
 * to the message's StatusCallback URL, one after the other in the order given.
 */
import type { HttpAnswer } from '../simulator-http.js'
import type { Tasks } from '../simulator-tasks.js'
import { statusParams } from './inbound-params.js'
import type { SimulatedMessage, TwilioStatus } from './resources.js'

/** One step of a status sequence: a status, or a status with the error it reports. */
export type StatusStep =
  | TwilioStatus
  | { status: TwilioStatus; errorCode?: number | string; errorMessage?: string }

/** A status callback the simulator posted, or tried to. */
export interface SentCallback {
  messageSid: string
  status: TwilioStatus
  /** The URL as signed (the StatusCallback given to the API). */
  url: string
  params: Record<string, string>
  answer?: HttpAnswer
  error?: string
}

export interface CallbackDeps {
  tasks: Tasks
  delayMs: () => number
  /** Signs and posts form parameters to a URL Twilio was given. */
  post(url: string, accountSid: string, params: Record<string, string>): Promise<HttpAnswer>
  record(callback: SentCallback): void
}

/** Posts one status callback for `message` and records it with its answer. */
export async function postStatus(
  message: SimulatedMessage,
  step: StatusStep,
  deps: CallbackDeps,
  url = message.statusCallback,
): Promise<SentCallback> {
  const { status, errorCode, errorMessage } = typeof step === 'string' ? { status: step } : step
  if (!url) throw new Error(`Twilio simulator: message ${message.sid} has no StatusCallback`)
  const params = statusParams({
    accountSid: message.accountSid,
    messageSid: message.sid,
    from: message.from,
    to: message.to,
    messagingServiceSid: message.messagingServiceSid,
    status,
    ...(errorCode === undefined ? (failed(status) ? { errorCode: 30008 } : {}) : { errorCode }),
    ...(errorMessage === undefined ? {} : { errorMessage }),
  })
  const callback: SentCallback = { messageSid: message.sid, status, url, params }
  message.status = status
  try {
    callback.answer = await deps.post(url, message.accountSid, params)
  } catch (error) {
    callback.error = error instanceof Error ? error.message : String(error)
  }
  deps.record(callback)
  return callback
}

/** Plays a sequence for a newly accepted message, `delayMs` apart, in background tasks. */
export function playSequence(
  message: SimulatedMessage,
  steps: readonly StatusStep[],
  deps: CallbackDeps,
): void {
  if (!message.statusCallback || steps.length === 0) return
  void deps.tasks.track(
    (async () => {
      for (const step of steps) {
        await deps.tasks.sleep(deps.delayMs())
        if (deps.tasks.closed) return
        await postStatus(message, step, deps)
      }
    })(),
  )
}

function failed(status: TwilioStatus): boolean {
  return status === 'failed' || status === 'undelivered'
}
