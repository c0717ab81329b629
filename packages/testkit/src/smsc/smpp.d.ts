// The parts of the untyped `smpp` package (farhadi/node-smpp 0.6) the SMSC simulator uses.
declare module 'smpp' {
  import type { EventEmitter } from 'node:events'
  import type { Server as NetServer, Socket } from 'node:net'

  export interface PDU {
    command: string
    command_id: number
    command_status: number
    sequence_number: number
    [field: string]: unknown
    isResponse(): boolean
    response(options?: Record<string, unknown>): PDU
    toBuffer(): Buffer
  }

  export type ResponseCallback = (pdu: PDU) => void

  export interface Session extends EventEmitter {
    socket: Socket
    closed: boolean
    send(
      pdu: PDU,
      responseCallback?: ResponseCallback,
      sendCallback?: ResponseCallback,
      failureCallback?: (pdu: PDU, error?: Error) => void,
    ): boolean
    deliver_sm(options: Record<string, unknown>, responseCallback?: ResponseCallback): boolean
    submit_sm(options: Record<string, unknown>, responseCallback?: ResponseCallback): boolean
    bind_transceiver(options: Record<string, unknown>, responseCallback?: ResponseCallback): boolean
    enquire_link(responseCallback?: ResponseCallback): boolean
    unbind(responseCallback?: ResponseCallback): boolean
    pause(): void
    resume(): void
    close(callback?: () => void): void
    destroy(callback?: () => void): void
  }

  export interface Server extends NetServer {
    sessions: Session[]
  }

  export interface ServerOptions {
    key?: string | Buffer
    cert?: string | Buffer
    debug?: boolean
  }

  export interface ConnectOptions {
    url?: string
    host?: string
    port?: number
    tls?: boolean
    rejectUnauthorized?: boolean
    auto_enquire_link_period?: number
    connectTimeout?: number
    debug?: boolean
  }

  // A CommonJS module: import it as `import smpp from 'smpp'`.
  const smpp: {
    createServer(options: ServerOptions, listener?: (session: Session) => void): Server
    connect(options: ConnectOptions, listener?: (session: Session) => void): Session
    PDU: {
      new (command: string, options?: Record<string, unknown>): PDU
      fromBuffer(buffer: Buffer): PDU | false
    }
    errors: Record<string, number>
    encodings: { ASCII: { match(text: string): boolean } }
  }
  export default smpp
}
