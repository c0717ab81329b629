/**
 * A raw SMPP peer for session tests, speaking through the plugin's own codec: every PDU it gets
 * is recorded, and each test decides how it answers.
 */
import { createServer, type Socket } from 'node:net'
import { decodePdu, encodePdu } from '../src/pdu/codec.js'
import { createFramer } from '../src/pdu/framer.js'
import type { Pdu } from '../src/pdu/types.js'
import { until } from './helpers.js'

export interface Conn {
  id: number
  socket: Socket
  received: Pdu[]
  send(pdu: Pdu): void
}

/** What to do with a request; return nothing to leave it unanswered. */
export type Script = (pdu: Pdu, conn: Conn) => Pdu | undefined

let messageCounter = 0

/** Answers binds, enquire_link, unbind and submit_sm the way a healthy SMSC does. */
export const healthy: Script = (pdu) => {
  switch (pdu.command) {
    case 'bind_transmitter':
    case 'bind_receiver':
    case 'bind_transceiver':
      return {
        command: `${pdu.command}_resp`,
        sequence: pdu.sequence,
        status: 0,
        systemId: 'scripted',
        tlvs: [],
      }
    case 'enquire_link':
      return { command: 'enquire_link_resp', sequence: pdu.sequence, status: 0 }
    case 'unbind':
      return { command: 'unbind_resp', sequence: pdu.sequence, status: 0 }
    case 'submit_sm':
      return {
        command: 'submit_sm_resp',
        sequence: pdu.sequence,
        status: 0,
        messageId: `m${++messageCounter}`,
      }
    default:
      return undefined
  }
}

export async function startScriptedSmsc(script: Script = healthy) {
  const conns: Conn[] = []
  const all: Pdu[] = []
  let current = script
  let ids = 0
  const server = createServer((socket) => {
    const framer = createFramer()
    const conn: Conn = {
      id: ++ids,
      socket,
      received: [],
      send: (pdu) => {
        if (!socket.destroyed) socket.write(encodePdu(pdu))
      },
    }
    conns.push(conn)
    socket.on('error', () => {})
    socket.on('data', (chunk) => {
      for (const frame of framer.push(chunk)) {
        const pdu = decodePdu(frame)
        conn.received.push(pdu)
        all.push(pdu)
        const answer = current(pdu, conn)
        if (answer) conn.send(answer)
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    host: '127.0.0.1',
    port,
    conns,
    received: all,
    setScript(next: Script) {
      current = next
    },
    count: (command: string) => all.filter((p) => p.command === command).length,
    waitFor: (command: string, count = 1) =>
      until(
        () => all.filter((p) => p.command === command).length >= count,
        `${count} × ${command}`,
      ),
    async close() {
      for (const conn of conns) conn.socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

export type ScriptedSmsc = Awaited<ReturnType<typeof startScriptedSmsc>>
