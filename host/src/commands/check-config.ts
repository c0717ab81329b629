import { checkPlugins, formatProblems, HostError, loadConfig, loadPlugins } from '@plugboard/core'
import { configFile, type Io } from './index.js'

export async function checkConfigCommand(argv: string[], io: Io): Promise<number> {
  const { values } = io.parseArgs({
    args: argv,
    options: { config: { type: 'string', short: 'c' } },
  })
  const file = configFile(values.config, io)
  if (!file) {
    io.err('check-config needs --config FILE (or PLUGBOARD_CONFIG)')
    return 1
  }
  try {
    const { config } = loadConfig({ file, env: io.env })
    const registry = await loadPlugins({
      dirs: config.plugins.dirs,
      ...(config.plugins.dependencies ? { projectDir: process.cwd() } : {}),
    })
    for (const error of registry.errors()) io.err(error.describe())
    const problems = checkPlugins(config, registry)
    if (problems.length > 0) {
      io.err(formatProblems(file, problems))
      return 1
    }
    io.out(
      `${file}: ok (${config.connectors.length} connectors, ${config.channels.length} channels)`,
    )
    return 0
  } catch (error) {
    io.err(error instanceof HostError ? error.describe() : String(error))
    return 1
  }
}
