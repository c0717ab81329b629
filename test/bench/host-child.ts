// The product under test in its own process: createHost with the config file given as argv[2].
import { readFileSync } from 'node:fs'
import { createHost } from '@plugboard/host'
import { emit, serveParent } from './child-io.js'

const file = process.argv[2]
if (!file) throw new Error('usage: host-child.ts CONFIG.json')
const config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
const host = await createHost({ config, env: {} })
serveParent(() => host.stop())
emit({ url: await host.listen() })
