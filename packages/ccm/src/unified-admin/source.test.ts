import assert from 'node:assert/strict'
import { test } from 'node:test'
import { UnifiedAdminError } from './client.js'
import type { UnifiedAdminChannel, UnifiedAdminSnapshot } from './model.js'
import { createUnifiedAdminSource } from './source.js'

const silent = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  trace() {},
  fatal() {},
  child() {
    return silent
  },
  level: 'silent',
} as never

const channel = (sid: string, value: string, connectorId = 'conn'): UnifiedAdminChannel => ({
  serviceIdentifier: sid,
  connector: { id: connectorId },
  provider: { name: 'Twilio' },
  attributes: [
    { key: 'TWILIO_ACCOUNT_SID', value: 'AC1' },
    { key: 'TWILIO_AUTH_TOKEN', value },
  ],
})

function setup(
  sids: string[],
  remote: Record<string, UnifiedAdminChannel | 'down' | 'gone'>,
  cached?: UnifiedAdminSnapshot,
) {
  let saved: UnifiedAdminSnapshot | undefined = cached
  const changes: { cause: string; changed: string[] }[] = []
  const source = createUnifiedAdminSource({
    client: {
      async fetchChannel(sid) {
        const r = remote[sid]
        if (r === 'down' || r === undefined)
          throw new UnifiedAdminError('UA_UNREACHABLE', 'down', 'start CCM')
        if (r === 'gone') throw new UnifiedAdminError('UA_NOT_FOUND', 'gone', 'create it')
        return structuredClone(r)
      },
    },
    serviceIdentifiers: sids,
    cache: {
      load: async () => saved,
      save: async (s) => {
        saved = structuredClone(s)
      },
    },
    resyncIntervalMs: 0,
    retryIntervalMs: 0,
    log: silent,
    onChange: async (_snapshot, cause, changed) => {
      changes.push({ cause, changed })
    },
  })
  return { source, changes, saved: () => saved, remote }
}

test('a push merges into the connector’s attributes, for every channel of that connector', async () => {
  const { source, changes } = setup(['a', 'b'], { a: channel('a', 't1'), b: channel('b', 't1') })
  await source.start()
  assert.equal(source.synced, true)
  const result = await source.push({
    serviceIdentifier: 'a',
    connectorConfigurations: [{ key: 'TWILIO_AUTH_TOKEN', type: 'Password', value: 't2' }],
  })
  assert.deepEqual(result.changedKeys, ['TWILIO_AUTH_TOKEN'])
  const snap = source.snapshot()
  assert.equal(snap.channels.b?.attributes.find((x) => x.key === 'TWILIO_AUTH_TOKEN')?.value, 't2')
  assert.equal(snap.channels.a?.attributes.length, 2)
  assert.deepEqual(changes.at(-1), { cause: 'push', changed: ['a', 'b'] })
  // The same values again change nothing and apply nothing.
  const count = changes.length
  await source.push({
    serviceIdentifier: 'a',
    connectorConfigurations: [{ key: 'TWILIO_AUTH_TOKEN', value: 't2' }],
  })
  assert.equal(changes.length, count)
})

test('a push for a channel the host does not serve is refused with the fix', async () => {
  const { source } = setup(['a'], { a: channel('a', 't1') })
  await source.start()
  await assert.rejects(
    source.push({ serviceIdentifier: 'zz', connectorConfigurations: [] }),
    (e: UnifiedAdminError) => e.code === 'UA_NOT_FOUND' && /SERVICE_IDENTIFIERS/.test(e.fix),
  )
})

test('CCM down: the cached snapshot is used and the source is not synced until a pull works', async () => {
  const first = setup(['a'], { a: channel('a', 'cached') })
  await first.source.start()
  const cached = first.saved()
  first.source.stop()

  const { source, changes, remote } = setup(['a'], { a: 'down' }, cached)
  await source.start()
  assert.equal(source.synced, false)
  assert.match(source.lastError ?? '', /down/)
  assert.equal(source.snapshot().channels.a?.attributes[1]?.value, 'cached')
  assert.deepEqual(changes[0], { cause: 'cache', changed: ['a'] })
  remote.a = channel('a', 'fresh')
  const report = await source.resync()
  assert.deepEqual(report, { changed: ['a'], failed: [] })
  assert.equal(source.synced, true)
})

test('a channel deleted in Unified Admin stops being served', async () => {
  const { source, remote } = setup(['a'], { a: channel('a', 't') })
  await source.start()
  remote.a = 'gone'
  const report = await source.resync()
  assert.deepEqual(report.changed, ['a'])
  assert.equal(source.snapshot().channels.a, undefined)
  assert.equal(source.synced, true)
})
