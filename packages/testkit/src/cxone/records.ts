/**
 * @module
 * What the simulated CXone holds: threads with their messages, status updates, and a way to wait
 * for each without sleeping.
 */
import { createRecorder, type Recorder } from '../simulator-recorder.js'
import type { CxoneMessage, CxoneStatusUpdate, CxoneThread } from './types.js'

export interface Records {
  readonly threads: Map<string, CxoneThread>
  readonly messages: Recorder<CxoneMessage>
  readonly statuses: Recorder<CxoneStatusUpdate>
  /** Thread ids as they close. */
  readonly closes: Recorder<string>
  /** Message by CXone id or idOnExternalPlatform. */
  message(id: string): CxoneMessage | undefined
  add(
    message: CxoneMessage,
    thread: Omit<CxoneThread, 'messages' | 'senderActions' | 'closed'>,
  ): void
  close(threadId: string): void
  clear(): void
  abort(reason: string): void
}

export function createRecords(): Records {
  const threads = new Map<string, CxoneThread>()
  const messages = createRecorder<CxoneMessage>(
    'CXone simulator messages',
    (m) =>
      `${m.direction} ${m.threadId} "${m.text.slice(0, 60)}"${m.attachments.length ? ` +${m.attachments.length} attachments` : ''}`,
  )
  const statuses = createRecorder<CxoneStatusUpdate>(
    'CXone simulator statuses',
    (s) => `${s.messageId} ${s.status}`,
  )
  const closes = createRecorder<string>('CXone simulator thread closes', (id) => id)
  return {
    threads,
    messages,
    statuses,
    closes,
    message: (id) => messages.items.find((m) => m.id === id || m.idOnExternalPlatform === id),
    add(message, thread) {
      let record = threads.get(message.threadId)
      if (!record) {
        record = { ...thread, messages: [], senderActions: [], closed: false }
        threads.set(record.id, record)
      }
      record.messages.push(message)
      messages.push(message)
    },
    close(threadId) {
      const thread = threads.get(threadId)
      if (thread && !thread.closed) {
        thread.closed = true
        closes.push(threadId)
      }
    },
    clear() {
      threads.clear()
      messages.clear()
      statuses.clear()
      closes.clear()
    },
    abort(reason) {
      messages.abort(reason)
      statuses.abort(reason)
      closes.abort(reason)
    },
  }
}
