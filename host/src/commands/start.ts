import { HostError } from '@plugboard/core'
import { createHost } from '../host.js'
import { configFile, type Io } from './index.js'

export async function startCommand(argv: string[], io: Io): Promise<number> {
  const { values } = io.parseArgs({
    args: argv,
    options: { config: { type: 'string', short: 'c' } },
  })
  const file = configFile(values.config, io)
  let host: Awaited<ReturnType<typeof createHost>>
  try {
    host = await createHost({ ...(file ? { configFile: file } : {}), env: io.env })
  } catch (error) {
    io.err(error instanceof HostError ? error.describe() : String((error as Error)?.stack ?? error))
    return 1
  }
  await host.listen()
  await new Promise<void>((resolve) => {
    let stopping = false
    const stop = (signal: string) => {
      if (stopping) return
      stopping = true
      host.log.info({ signal }, 'signal received')
      void host.stop().then(resolve, (error) => {
        host.log.error({ err: error }, 'shutdown failed')
        resolve()
      })
    }
    process.once('SIGTERM', () => stop('SIGTERM'))
    process.once('SIGINT', () => stop('SIGINT'))
  })
  return 0
}
