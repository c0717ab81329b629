/**
 * @module
 * The SMSC's store-and-forward of deliver_sm (receipts and customer messages): each goes to a
 * receiving bind of its account, round-robin; one that is refused, or left unanswered when its
 * link drops, is delivered again.
 */
import type { Session } from 'smpp'
import { createRecorder } from '../simulator-recorder.js'
import type { Tasks } from '../simulator-tasks.js'
import type { BindType, SmscDelivery } from './types.js'

export interface SimSession {
  id: number
  session: Session
  systemId: string | undefined
  type: BindType | undefined
  bound: boolean
}

interface Entry {
  kind: SmscDelivery['kind']
  systemId: string
  ref: string
  pdu: Record<string, unknown>
  attempt: number
  resolve(): void
}

export function createDeliveries(options: {
  tasks: Tasks
  sessions: () => readonly SimSession[]
  redeliverDelayMs: number
}) {
  const recorder = createRecorder<SmscDelivery>(
    'SMSC simulator deliveries',
    (d) => `${d.kind} ${d.ref} to ${d.systemId} on #${d.sessionId}: status ${d.status}`,
  )
  const queue: Entry[] = []
  const inFlight = new Map<SimSession, Set<Entry>>()
  let turn = 0

  const receivers = (systemId: string) =>
    options
      .sessions()
      .filter(
        (s) => s.bound && s.systemId === systemId && s.type !== 'transmitter' && !s.session.closed,
      )

  const pump = () => {
    for (let i = 0; i < queue.length; ) {
      const entry = queue[i] as Entry
      const candidates = receivers(entry.systemId)
      if (candidates.length === 0) {
        i++
        continue
      }
      queue.splice(i, 1)
      send(entry, candidates[turn++ % candidates.length] as SimSession)
    }
  }

  const send = (entry: Entry, target: SimSession) => {
    entry.attempt++
    let set = inFlight.get(target)
    if (!set) {
      set = new Set()
      inFlight.set(target, set)
    }
    set.add(entry)
    const sent = target.session.deliver_sm({ ...entry.pdu }, (resp) => {
      set.delete(entry)
      const status = resp.command_status
      recorder.push({
        kind: entry.kind,
        systemId: entry.systemId,
        sessionId: target.id,
        ref: entry.ref,
        status,
        attempt: entry.attempt,
      })
      if (status === 0) entry.resolve()
      else retryLater(entry)
    })
    if (!sent) {
      set.delete(entry)
      queue.push(entry)
    }
  }

  const retryLater = (entry: Entry) => {
    void options.tasks.sleep(options.redeliverDelayMs).then(() => {
      if (options.tasks.closed) return
      queue.push(entry)
      pump()
    })
  }

  return {
    recorder,
    /** Resolves once the client answered this deliver_sm with ESME_ROK. */
    enqueue(kind: Entry['kind'], systemId: string, ref: string, pdu: Record<string, unknown>) {
      return new Promise<void>((resolve) => {
        queue.push({ kind, systemId, ref, pdu, attempt: 0, resolve })
        pump()
      })
    },
    pump,
    /** A link closed: what it left unanswered goes back in the queue. */
    sessionClosed(session: SimSession) {
      const lost = inFlight.get(session)
      inFlight.delete(session)
      for (const entry of lost ?? []) queue.push(entry)
      pump()
    },
    get queued() {
      return queue.length
    },
    get unanswered() {
      let n = 0
      for (const set of inFlight.values()) n += set.size
      return n
    },
  }
}
