#!/usr/bin/env node
// Makes sure a RabbitMQ answers on 127.0.0.1:5672 with both AMQP 0-9-1 and AMQP 1.0, for the
// broker tests: uses the one that is running, else starts the installed one (installing
// rabbitmq-server with apt-get when it is missing), and enables the AMQP 1.0 plugin on
// RabbitMQ 3.x (on 4.x AMQP 1.0 is built in). Quick when everything already answers.
import { spawnSync } from 'node:child_process'
import { connect } from 'node:net'
import { fileURLToPath } from 'node:url'

const HOST = '127.0.0.1'
const PORT = 5672
const HEADERS = {
  amqp091: Buffer.from('AMQP\x00\x00\x09\x01', 'latin1'),
  amqp10: Buffer.from('AMQP\x03\x01\x00\x00', 'latin1'),
}

/**
 * True when the port speaks the protocol. A 0-9-1 header gets connection.start back (a method
 * frame: first byte 1); a 1.0 SASL header gets the same header back, while a broker without
 * 1.0 answers with its own 0-9-1 header and hangs up.
 */
export function amqpAnswers(protocol, timeoutMs = 1000) {
  const header = HEADERS[protocol]
  return new Promise((resolve) => {
    const socket = connect({ host: HOST, port: PORT })
    const done = (ok) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.on('error', () => done(false))
    socket.on('connect', () => socket.write(header))
    socket.once('data', (data) =>
      done(protocol === 'amqp091' ? data[0] === 1 : data.subarray(0, 8).equals(header)),
    )
  })
}

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0
}

const root = process.getuid?.() === 0

/** Runs a RabbitMQ or apt command as root (Debian's wrappers switch to the rabbitmq user). */
function asRoot(command, args, options = {}) {
  const result = spawnSync(root ? command : 'sudo', root ? args : ['-n', command, ...args], {
    encoding: 'utf8',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    ...options,
  })
  if (result.error) throw result.error
  return result
}

function install() {
  if (!has('apt-get')) {
    throw new Error(
      'rabbitmq-server is missing and apt-get is not available; install RabbitMQ by hand',
    )
  }
  console.log('rabbitmq-server is missing; installing it with apt-get')
  asRoot('apt-get', ['update'], { stdio: 'inherit' })
  if (asRoot('apt-get', ['install', '-y', 'rabbitmq-server'], { stdio: 'inherit' }).status !== 0) {
    throw new Error('apt-get install rabbitmq-server failed; see the output above')
  }
}

async function waitUntil(protocol, seconds) {
  const deadline = Date.now() + seconds * 1000
  while (!(await amqpAnswers(protocol))) {
    if (Date.now() > deadline) return false
    await new Promise((r) => setTimeout(r, 250))
  }
  return true
}

/** The broker's version from rabbitmqctl, e.g. [3, 10, 8]; undefined when it cannot tell. */
function brokerVersion() {
  const result = asRoot('rabbitmqctl', ['version'])
  const match = /(\d+)\.(\d+)\.(\d+)/.exec(result.stdout ?? '')
  return match ? match.slice(1).map(Number) : undefined
}

export async function ensureRabbitMq() {
  if ((await amqpAnswers('amqp091')) && (await amqpAnswers('amqp10'))) return

  if (!(await amqpAnswers('amqp091'))) {
    if (!has('rabbitmq-server')) install()
    // The Debian package may have started the service on install; start it only if not.
    if (!(await waitUntil('amqp091', 2))) {
      console.log('starting RabbitMQ (rabbitmq-server -detached)')
      const started = asRoot('rabbitmq-server', ['-detached'], { stdio: 'inherit' })
      if (started.status !== 0)
        throw new Error('rabbitmq-server -detached failed; see the output above')
    }
    if (!(await waitUntil('amqp091', 90))) {
      throw new Error(`RabbitMQ did not answer AMQP 0-9-1 on ${HOST}:${PORT} within 90 s`)
    }
    console.log(`RabbitMQ answers AMQP 0-9-1 on ${HOST}:${PORT}`)
  }

  if (!(await amqpAnswers('amqp10'))) {
    const version = brokerVersion()
    if (version && version[0] >= 4) {
      throw new Error(
        `RabbitMQ ${version.join('.')} on ${PORT} does not answer AMQP 1.0, which is built in from 4.0`,
      )
    }
    console.log(
      `enabling AMQP 1.0 on RabbitMQ ${version?.join('.') ?? ''} (rabbitmq_amqp1_0 plugin)`,
    )
    const enabled = asRoot('rabbitmq-plugins', ['enable', 'rabbitmq_amqp1_0'], { stdio: 'inherit' })
    if (enabled.status !== 0) throw new Error('rabbitmq-plugins enable rabbitmq_amqp1_0 failed')
    if (!(await waitUntil('amqp10', 30))) {
      throw new Error(
        `RabbitMQ did not answer AMQP 1.0 on ${HOST}:${PORT} within 30 s of enabling the plugin`,
      )
    }
    console.log(`RabbitMQ answers AMQP 1.0 on ${HOST}:${PORT}`)
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  ensureRabbitMq().catch((error) => {
    console.error(error.message)
    process.exit(1)
  })
}
