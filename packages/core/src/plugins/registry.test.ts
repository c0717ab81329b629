import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { loadPlugins } from './registry.js'

const sdk = fileURLToPath(new URL('../../../sdk/src/index.ts', import.meta.url))

function plugin(
  root: string,
  folder: string,
  opts: { name: string; id: string; api?: string; body?: string },
) {
  const dir = join(root, folder)
  mkdirSync(dir, { recursive: true })
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: opts.name,
      version: '1.2.3',
      type: 'module',
      keywords: ['plugboard-plugin'],
      plugboard: { api: opts.api ?? '^1.0.0' },
      main: 'index.ts',
    }),
  )
  writeFileSync(
    join(dir, 'index.ts'),
    opts.body ??
      `import { definePlugin, z } from ${JSON.stringify(sdk)}\nexport default definePlugin({ id: '${opts.id}', channelTypes: ['SMS'], config: z.object({}), setup: () => ({ send: async () => ({}) }) })\n`,
  )
}

test('loads dropped-in plugin packages from a plugins directory', async () => {
  const root = mkdtempSync(join(tmpdir(), 'plugins-'))
  plugin(root, 'acme', { name: 'plugboard-plugin-acme', id: 'acme' })
  plugin(root, 'not-a-plugin', { name: 'x', id: 'x' })
  writeFileSync(join(root, 'not-a-plugin', 'package.json'), JSON.stringify({ name: 'x' }))
  const registry = await loadPlugins({ dirs: [root] })
  assert.deepEqual(
    registry.list().map((p) => `${p.descriptor.id} ${p.packageName}@${p.version}`),
    ['acme plugboard-plugin-acme@1.2.3'],
  )
  assert.deepEqual(registry.errors(), [])
})

test('refuses a plugin whose API range the host does not satisfy', async () => {
  const root = mkdtempSync(join(tmpdir(), 'plugins-'))
  plugin(root, 'future', { name: 'plugboard-plugin-future', id: 'future', api: '^2.0.0' })
  const registry = await loadPlugins({ dirs: [root] })
  assert.equal(registry.get('future'), undefined)
  const [error] = registry.errors()
  assert.equal(error?.code, 'PLUGIN_API_MISMATCH')
  assert.match(
    error!.message,
    /plugboard-plugin-future@1\.2\.3 supports plugin API \^2\.0\.0, this host provides 1\./,
  )
})

test('refuses both plugins of a colliding id, naming both packages', async () => {
  const root = mkdtempSync(join(tmpdir(), 'plugins-'))
  plugin(root, 'one', { name: 'plugboard-plugin-sms-one', id: 'sms' })
  plugin(root, 'two', { name: 'plugboard-plugin-sms-two', id: 'sms' })
  const registry = await loadPlugins({ dirs: [root] })
  assert.equal(registry.get('sms'), undefined)
  const problem = registry.problem('sms')
  assert.equal(problem?.code, 'PLUGIN_ID_COLLISION')
  assert.match(problem!.message, /plugboard-plugin-sms-one@1\.2\.3/)
  assert.match(problem!.message, /plugboard-plugin-sms-two@1\.2\.3/)
})

test('refuses a package without a definePlugin() default export', async () => {
  const root = mkdtempSync(join(tmpdir(), 'plugins-'))
  plugin(root, 'bad', {
    name: 'plugboard-plugin-bad',
    id: 'bad',
    body: 'export default { id: "bad" }\n',
  })
  const registry = await loadPlugins({ dirs: [root] })
  assert.equal(registry.errors()[0]?.code, 'PLUGIN_INVALID')
  assert.equal(registry.problem('bad')?.code, 'PLUGIN_NOT_FOUND')
})

test('finds installed dependencies carrying the plugboard-plugin keyword', async () => {
  const project = mkdtempSync(join(tmpdir(), 'project-'))
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({
      name: 'app',
      dependencies: { '@acme/plugboard-viber': '1.0.0', lodash: '4' },
    }),
  )
  plugin(join(project, 'node_modules'), '@acme/plugboard-viber', {
    name: '@acme/plugboard-viber',
    id: 'viber',
  })
  mkdirSync(join(project, 'node_modules', 'lodash'), { recursive: true })
  writeFileSync(
    join(project, 'node_modules', 'lodash', 'package.json'),
    JSON.stringify({ name: 'lodash', version: '4.0.0' }),
  )
  const registry = await loadPlugins({ projectDir: project })
  assert.deepEqual(
    registry.list().map((p) => p.descriptor.id),
    ['viber'],
  )
})
