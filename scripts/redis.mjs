#!/usr/bin/env node
// Makes sure a Redis answers on 127.0.0.1:6379 for the tests of the shared state store: uses the
// one that is running, else starts a throw-away one (no persistence), installing redis-server
// with apt-get when it is missing.
import { spawnSync } from 'node:child_process'
import { connect } from 'node:net'
import { fileURLToPath } from 'node:url'

const HOST = '127.0.0.1'
const PORT = 6379

/** True when something on the port answers PING with PONG. */
export function redisAnswers(timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = connect({ host: HOST, port: PORT })
    let reply = ''
    const done = (ok) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.on('error', () => done(false))
    socket.on('connect', () => socket.write('PING\r\n'))
    socket.on('data', (chunk) => {
      reply += chunk.toString()
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'))
    })
  })
}

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0
}

function install() {
  console.log('redis-server is missing; installing it with apt-get')
  const root = process.getuid?.() === 0
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  const aptGet = (...args) =>
    spawnSync(root ? 'apt-get' : 'sudo', root ? args : ['apt-get', ...args], {
      stdio: 'inherit',
      env,
    })
  aptGet('update')
  if (aptGet('install', '-y', 'redis-server').status !== 0) {
    throw new Error('apt-get install redis-server failed; install Redis 6.2 or newer by hand')
  }
}

export async function ensureRedis() {
  if (await redisAnswers()) return
  if (!has('redis-server')) install()
  const started = spawnSync(
    'redis-server',
    [
      '--daemonize',
      'yes',
      '--bind',
      HOST,
      '--port',
      String(PORT),
      '--save',
      '',
      '--appendonly',
      'no',
    ],
    { stdio: 'inherit' },
  )
  if (started.status !== 0) throw new Error('redis-server did not start; see the output above')
  const deadline = Date.now() + 10_000
  while (!(await redisAnswers())) {
    if (Date.now() > deadline)
      throw new Error(`Redis did not answer on ${HOST}:${PORT} within 10 s`)
    await new Promise((r) => setTimeout(r, 100))
  }
  console.log(`started Redis on ${HOST}:${PORT}`)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  ensureRedis().catch((error) => {
    console.error(error.message)
    process.exit(1)
  })
}
