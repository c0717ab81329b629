/**
 * A private RabbitMQ node for tests that stop, kill or restart a broker, or need a second one for
 * failover, without touching the shared broker on 5672 that other test files use at the same time.
 * Each node runs from the installed RabbitMQ under its own node name, ports, data and log
 * directories, and Erlang cookie (HOME), with the AMQP 1.0 plugin and without management.
 * A start costs a few seconds of CPU, so a test file should start its nodes once and reuse them.
 */
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { connect, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface RabbitNodeOptions {
  /** Also listen with TLS (a CA, server and client certificate are generated). */
  tls?: boolean
}

export interface RabbitNodeTls {
  port: number
  url: string
  caFile: string
  /** A client certificate and key signed by the same CA. */
  certFile: string
  keyFile: string
}

export interface RabbitNode {
  readonly name: string
  readonly port: number
  /** amqp://guest:guest@127.0.0.1:<port> (the 1.0 plugin listens on the same port). */
  readonly url: string
  readonly tls?: RabbitNodeTls
  readonly dir: string
  /** How long each start took until both protocols answered, in ms. */
  readonly startTimesMs: readonly number[]
  running(): boolean
  /** (Re)starts the node on the same ports with its data intact. */
  start(): Promise<void>
  /** Graceful stop (rabbitmqctl stop), or `hard`: SIGKILL, as a crash would. */
  stop(options?: { hard?: boolean }): Promise<void>
  /** rabbitmqctl against this node; resolves with its stdout. */
  ctl(...args: string[]): Promise<string>
  /** Drops every client connection (the broker stays up). */
  closeConnections(): Promise<void>
  /** Stops the node and deletes its directory. */
  destroy(): Promise<void>
}

const LIB_DIR = '/usr/lib/rabbitmq/bin'
const living = new Set<ChildProcess>()
let exitHookInstalled = false

/**
 * The rabbitmq-server script to run directly, or undefined when RabbitMQ is not installed.
 * Debian's /usr/sbin wrapper switches to the rabbitmq user and redirects logs; the script behind
 * it runs as the current user with the environment given.
 */
export function rabbitServerCommand(): string | undefined {
  if (existsSync(join(LIB_DIR, 'rabbitmq-server'))) return join(LIB_DIR, 'rabbitmq-server')
  try {
    return (
      execFileSync('sh', ['-c', 'command -v rabbitmq-server'], { encoding: 'utf8' }).trim() ||
      undefined
    )
  } catch {
    return undefined
  }
}

function ctlCommand(server: string): string {
  return server.replace(/rabbitmq-server$/, 'rabbitmqctl')
}

export async function startRabbitNode(options: RabbitNodeOptions = {}): Promise<RabbitNode> {
  const server = rabbitServerCommand()
  if (!server) {
    throw new Error(
      'RabbitMQ is not installed: run `node scripts/rabbitmq.mjs` (it installs it from Debian)',
    )
  }
  installExitHook()
  const dir = mkdtempSync(join(tmpdir(), 'pb-rabbit-'))
  const name = `pb-${randomBytes(4).toString('hex')}@localhost`
  const ports = await freePorts(options.tls ? 3 : 2)
  const port = ports[0]!
  const distPort = ports[1]!
  const tlsPort = ports[2]
  const tls = options.tls ? makeCertificates(dir, tlsPort!) : undefined
  mkdirSync(join(dir, 'log'), { recursive: true })
  writeFileSync(
    join(dir, 'rabbitmq.conf'),
    [
      `listeners.tcp.default = 127.0.0.1:${port}`,
      'log.console = false',
      'log.file.level = warning',
      ...(tls
        ? [
            `listeners.ssl.default = 127.0.0.1:${tls.port}`,
            `ssl_options.cacertfile = ${tls.caFile}`,
            `ssl_options.certfile = ${join(dir, 'server.pem')}`,
            `ssl_options.keyfile = ${join(dir, 'server.key')}`,
            'ssl_options.verify = verify_peer',
            'ssl_options.fail_if_no_peer_cert = false',
          ]
        : []),
      '',
    ].join('\n'),
  )
  writeFileSync(join(dir, 'enabled_plugins'), '[rabbitmq_amqp1_0].\n')
  writeFileSync(join(dir, 'rabbitmq-env.conf'), '')
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: dir,
    RABBITMQ_NODENAME: name,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
    RABBITMQ_ADVANCED_CONFIG_FILE: join(dir, 'advanced.config'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_CONF_ENV_FILE: join(dir, 'rabbitmq-env.conf'),
    RABBITMQ_PID_FILE: join(dir, 'rabbitmq.pid'),
    ERL_EPMD_ADDRESS: '127.0.0.1',
  }
  const ctlPath = ctlCommand(server)
  const startTimesMs: number[] = []
  let child: ChildProcess | undefined
  let exited: Promise<void> = Promise.resolve()

  const ctl = (...args: string[]): Promise<string> =>
    new Promise((resolve, reject) => {
      execFile(
        ctlPath,
        ['-n', name, ...args],
        { env, timeout: 60_000 },
        (error, stdout, stderr) => {
          if (error) reject(new Error(`rabbitmqctl ${args.join(' ')}: ${stderr || error.message}`))
          else resolve(stdout)
        },
      )
    })

  const node: RabbitNode = {
    name,
    port,
    url: `amqp://guest:guest@127.0.0.1:${port}`,
    ...(tls ? { tls } : {}),
    dir,
    startTimesMs,
    running: () => child !== undefined,
    async start() {
      if (child) return
      const began = Date.now()
      const proc = spawn(server, [], {
        env,
        cwd: dir,
        detached: true,
        stdio: ['ignore', 'ignore', 'ignore'],
      })
      child = proc
      living.add(proc)
      let exitCode: number | null | undefined
      exited = new Promise((resolve) => {
        proc.once('exit', (code) => {
          exitCode = code
          living.delete(proc)
          if (child === proc) child = undefined
          resolve()
        })
      })
      const deadline = Date.now() + 90_000
      for (;;) {
        if (exitCode !== undefined) {
          throw new Error(
            `RabbitMQ node ${name} exited with ${exitCode} while starting; logs in ${dir}/log`,
          )
        }
        if ((await answers(port, 'amqp091')) && (await answers(port, 'amqp10'))) break
        if (Date.now() > deadline) {
          throw new Error(`RabbitMQ node ${name} did not answer within 90 s; logs in ${dir}/log`)
        }
        await sleep(100)
      }
      startTimesMs.push(Date.now() - began)
    },
    async stop(stopOptions = {}) {
      const proc = child
      if (!proc?.pid) return
      if (!stopOptions.hard) {
        await ctl('stop').catch(() => {})
        let timer: NodeJS.Timeout | undefined
        const stopped = await Promise.race([
          exited.then(() => true),
          new Promise<boolean>((resolve) => {
            timer = setTimeout(() => resolve(false), 30_000)
          }),
        ])
        clearTimeout(timer)
        if (stopped) return
      }
      try {
        process.kill(-proc.pid, 'SIGKILL')
      } catch {
        // Already gone.
      }
      await exited
    },
    ctl,
    async closeConnections() {
      await ctl('close_all_connections', 'test: connections dropped on purpose')
    },
    async destroy() {
      await node.stop({ hard: true })
      rmSync(dir, { recursive: true, force: true })
    },
  }
  await node.start()
  return node
}

const AMQP091 = Buffer.from('AMQP\x00\x00\x09\x01', 'latin1')
const AMQP10 = Buffer.from('AMQP\x03\x01\x00\x00', 'latin1')

/**
 * Whether the port speaks the protocol: the broker answers a 0-9-1 header with connection.start
 * (a method frame, first byte 1) and a 1.0 SASL header with the same header; a broker without 1.0
 * answers the latter with its own 0-9-1 header.
 */
export function answers(
  port: number,
  protocol: 'amqp091' | 'amqp10',
  host = '127.0.0.1',
): Promise<boolean> {
  const header = protocol === 'amqp091' ? AMQP091 : AMQP10
  return new Promise((resolve) => {
    const socket = connect(port, host, () => socket.write(header))
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.once('data', (data) =>
      done(protocol === 'amqp091' ? data[0] === 1 : data.subarray(0, 8).equals(header)),
    )
    socket.once('error', () => done(false))
    socket.setTimeout(2_000, () => done(false))
  })
}

/**
 * Free ports below the ephemeral range: a client reconnecting to a stopped node's port from an
 * ephemeral port can otherwise end up connected to itself, or take the port the node restarts on.
 */
async function freePorts(count: number): Promise<number[]> {
  const low = ephemeralLow()
  const ports: number[] = []
  while (ports.length < count) {
    const candidate = 20_000 + Math.floor(Math.random() * Math.max(1, low - 20_000 - 1))
    if (ports.includes(candidate)) continue
    if (await isFree(candidate)) ports.push(candidate)
  }
  return ports
}

function ephemeralLow(): number {
  try {
    const low = Number(
      readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0],
    )
    return low > 21_000 ? low : 32_768
  } catch {
    return 32_768
  }
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

function makeCertificates(dir: string, port: number): RabbitNodeTls {
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' })
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n')
  ssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '3',
    '-subj',
    '/CN=plugboard test CA',
  )
  for (const who of ['server', 'client']) {
    ssl(
      'req',
      ...ec,
      '-keyout',
      `${who}.key`,
      '-out',
      `${who}.csr`,
      '-subj',
      `/CN=${who === 'server' ? 'localhost' : 'plugboard-client'}`,
    )
    ssl(
      'x509',
      '-req',
      '-in',
      `${who}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${who}.pem`,
      '-days',
      '3',
      '-extfile',
      'san.ext',
    )
  }
  return {
    port,
    url: `amqps://guest:guest@localhost:${port}`,
    caFile: join(dir, 'ca.pem'),
    certFile: join(dir, 'client.pem'),
    keyFile: join(dir, 'client.key'),
  }
}

/** Nodes must not outlive the test process, even when it crashes. */
function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.once('exit', () => {
    for (const proc of living) {
      try {
        if (proc.pid) process.kill(-proc.pid, 'SIGKILL')
      } catch {
        // Already gone.
      }
    }
  })
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
