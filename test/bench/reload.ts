// Hot reload under load: how long a Unified Admin push takes to have the new connector instance
// serving, and whether any message is lost or sent twice across the swap. Run with
// `node --import tsx test/bench/reload.ts` (RELOAD_ROUNDS, RELOAD_RATE, RELOAD_SECONDS).
import os from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import genericHttp from '@plugboard/plugin-generic-http'
import { startCcmSimulator, startHttpProviderSimulator, startTestHost } from '@plugboard/testkit'
import { writeSection } from './results-file.js'

const rounds = Number(process.env.RELOAD_ROUNDS ?? 5)
const rate = Number(process.env.RELOAD_RATE ?? 500)
const seconds = Number(process.env.RELOAD_SECONDS ?? 4)
const SID = '+15550100'
const secrets = ['bench-secret-a', 'bench-secret-b']

interface RoundResult {
  pushToAnswerMs: number
  pushToNewServingMs: number
  sent: number
  lost: number
  duplicates: number
  oldAfterAnswer: number
}

async function main() {
  const provider = await startHttpProviderSimulator()
  provider.setSecrets(secrets)
  const ccm = await startCcmSimulator({
    unifiedAdmin: [
      {
        serviceIdentifier: SID,
        channelType: 'SMS',
        provider: 'Generic HTTP',
        connectorId: 'bench',
        attributes: [
          { key: 'HTTP-OUTBOUND-URL', type: 'URL', value: provider.outboundUrl },
          { key: 'HTTP-SHARED-SECRET', type: 'Password', value: secrets[0] },
        ],
      },
    ],
  })
  const test = await startTestHost({
    ccmUrl: ccm.url,
    plugins: [genericHttp],
    config: { unifiedAdmin: { channels: [SID], resyncIntervalMs: 0 } },
  })
  ccm.setHostUrl(test.url)
  const results: RoundResult[] = []
  try {
    for (let round = 0; round < rounds; round++) {
      const next = secrets[(round + 1) % 2]!
      const arrivals: { key: string; secret?: string; at: number }[] = []
      const listener = (m: { idempotencyKey: string; signedWith?: string }) =>
        arrivals.push({ key: m.idempotencyKey, secret: m.signedWith, at: performance.now() })
      provider.on('message', listener)
      const ids: string[] = []
      const answers: Promise<{ status: number }>[] = []
      const total = rate * seconds
      const interval = 1000 / rate
      const t0 = performance.now()
      let pushAt = 0
      let answeredAt = 0
      let push: Promise<unknown> | undefined
      for (let n = 0; n < total; n++) {
        const due = t0 + n * interval
        const wait = due - performance.now()
        if (wait > 1) await sleep(wait)
        const id = `r${round}-${n}`
        ids.push(id)
        answers.push(
          ccm.sendOutbound({ id, serviceIdentifier: SID, customerId: `+1555${n % 200}`, text: id }),
        )
        if (n === Math.floor(total * 0.4)) {
          pushAt = performance.now()
          push = ccm.unifiedAdmin
            .changeAttributes(SID, { 'HTTP-SHARED-SECRET': next })
            .then((a) => {
              answeredAt = performance.now()
              return a
            })
        }
      }
      const answer = (await push) as { status: number }
      if (answer.status !== 200) throw new Error(`push answered ${answer.status}`)
      const accepted = (await Promise.all(answers)).filter((a) => a.status === 200).length
      const deadline = performance.now() + 60_000
      while (ids.some((id) => provider.received(id) === 0) && performance.now() < deadline) {
        await sleep(50)
      }
      provider.off('message', listener)
      const firstNew = arrivals.find((a) => a.secret === next && a.at >= pushAt)
      const result: RoundResult = {
        pushToAnswerMs: answeredAt - pushAt,
        pushToNewServingMs: (firstNew?.at ?? Number.NaN) - pushAt,
        sent: accepted,
        lost: ids.filter((id) => provider.received(id) === 0).length,
        duplicates: ids.reduce((sum, id) => sum + Math.max(0, provider.received(id) - 1), 0),
        oldAfterAnswer: arrivals.filter((a) => a.at > answeredAt && a.secret !== next).length,
      }
      results.push(result)
      console.log(`round ${round + 1}:`, JSON.stringify(result))
      provider.clear()
    }
  } finally {
    await test.stop()
    await Promise.all([ccm.close(), provider.close()])
  }
  writeSection('reload', render(results))
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor((s.length - 1) / 2)] ?? Number.NaN
}
const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '—')

function render(results: RoundResult[]): string {
  const answer = results.map((r) => r.pushToAnswerMs)
  const serving = results.map((r) => r.pushToNewServingMs)
  const lost = results.reduce((s, r) => s + r.lost, 0)
  const dup = results.reduce((s, r) => s + r.duplicates, 0)
  const old = results.reduce((s, r) => s + r.oldAfterAnswer, 0)
  const sent = results.reduce((s, r) => s + r.sent, 0)
  const pass = (ok: boolean) => (ok ? 'pass' : '**FAIL**')
  return `## Hot reload from a Unified Admin push under load

${new Date().toISOString()} · ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}

Settings: ${rounds} rounds; in each, ${rate} outbound msg/s from the CCM simulator for ${seconds} s to one
generic-http connector configured from Unified Admin; 40% of the way in, the simulator changes the
connector's shared secret and pushes it to \`/connector-configurations\`. The provider simulator
accepts both secrets and records which one signed each message. Host, simulators and load share one
process. Run with \`node --import tsx test/bench/reload.ts\`.

| metric | median | max | target (DESIGN §9) | result |
| --- | ---: | ---: | ---: | ---: |
| Push → first message sent by the new instance, ms | ${ms(median(serving))} | ${ms(Math.max(...serving))} | < 1,000 ms | ${pass(Math.max(...serving) < 1000)} |
| Push → push answered (old instance drained and stopped), ms | ${ms(median(answer))} | ${ms(Math.max(...answer))} | — |  |
| Messages sent / lost / duplicated, all rounds | ${sent} / ${lost} / ${dup} |  | 0 lost, 0 duplicated | ${pass(lost === 0 && dup === 0)} |
| Messages with the old secret after the push was answered | ${old} |  | 0 | ${pass(old === 0)} |

| round | push → new serving ms | push → answered ms | sent | lost | duplicated |
| ---: | ---: | ---: | ---: | ---: | ---: |
${results.map((r, i) => `| ${i + 1} | ${ms(r.pushToNewServingMs)} | ${ms(r.pushToAnswerMs)} | ${r.sent} | ${r.lost} | ${r.duplicates} |`).join('\n')}
`
}

await main()
