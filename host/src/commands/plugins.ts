import { loadPlugins } from '@plugboard/core'
import { describeConfig } from '@plugboard/sdk'
import type { Io } from './index.js'

export async function pluginsCommand(argv: string[], io: Io): Promise<number> {
  const { values } = io.parseArgs({
    args: argv,
    options: { json: { type: 'boolean' }, dir: { type: 'string', multiple: true } },
  })
  const registry = await loadPlugins({ dirs: values.dir ?? ['plugins'], projectDir: process.cwd() })
  const plugins = registry.list().map((p) => ({
    id: p.descriptor.id,
    displayName: p.descriptor.displayName ?? p.descriptor.id,
    package: p.packageName,
    version: p.version,
    apiVersion: p.descriptor.apiVersion,
    channelTypes: p.descriptor.channelTypes,
    webhooks: (p.descriptor.webhooks ?? []).map((w) => ({
      ...w,
      url: `/webhooks/{connectorId}${w.path}`,
    })),
    attributes: describeConfig(p.descriptor.config).map((f) => ({
      field: f.name,
      key: f.key ?? null,
      label: f.label,
      valueType: f.valueType,
      required: f.required,
      secret: f.secret,
      help: f.help ?? null,
      ...(f.defaultValue === undefined || f.secret ? {} : { default: f.defaultValue }),
    })),
  }))
  if (values.json) {
    io.out(JSON.stringify({ plugins, errors: registry.errors().map((e) => e.toJSON()) }, null, 2))
    return registry.errors().length ? 1 : 0
  }
  for (const p of plugins) {
    io.out(`${p.id}  ${p.displayName}  (${p.package}@${p.version}, plugin API ${p.apiVersion})`)
    io.out(`  channel types: ${p.channelTypes.join(', ')}`)
    for (const w of p.webhooks) io.out(`  ${w.method.padEnd(6)} ${w.url}  ${w.description}`)
    io.out('  Unified Admin attributes (channel provider custom attributes):')
    const rows = p.attributes.map((a) => [
      a.key ?? `(file only: ${a.field})`,
      a.label,
      a.valueType,
      a.required ? 'yes' : 'no',
      `${a.help ?? ''}${a.secret ? ' (secret)' : ''}`,
    ])
    io.out(table([['key', 'label', 'value type', 'required', 'help'], ...rows], '    '))
    io.out('')
  }
  for (const error of registry.errors()) io.err(error.describe())
  return registry.errors().length ? 1 : 0
}

function table(rows: string[][], indent: string): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)))
  return rows
    .map((r) =>
      `${indent}${r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')}`.trimEnd(),
    )
    .join('\n')
}
