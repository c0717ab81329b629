import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  createSqliteStateStore,
  createWriter,
  HostError,
  type JobInput,
  openSqlite,
  type Pipeline,
} from '@plugboard/core'
import { createMemoryServer } from '../../test/memory-broker.js'
import { silent, until } from '../../test/pipeline-contract.js'
import { createSendSmsConsumer } from './consumer.js'
import { sendSmsOrigin } from './origin.js'

function fakePipeline(fail: () => boolean = () => false) {
  const submitted: JobInput[] = []
  const pipeline = {
    async submit(input: JobInput) {
      if (fail()) throw new HostError('BROKER_UNAVAILABLE', 'down')
      submitted.push(input)
      return { status: 'accepted' as const, id: input.message.id }
    },
  } as unknown as Pipeline
  return { pipeline, submitted }
}

const channel = { connectorId: 'sms', serviceIdentifier: '+15550100' }

describe('SendSms consumer', () => {
  it('submits valid messages, dead-letters malformed ones with the reason, and goes on', async () => {
    const server = createMemoryServer()
    const broker = server.connect()
    await broker.connect()
    const db = openSqlite({ path: ':memory:' })
    const state = createSqliteStateStore(db, createWriter(db))
    const { pipeline, submitted } = fakePipeline()
    const consumer = createSendSmsConsumer({
      broker,
      pipeline,
      queue: 'outbound-sms',
      deadLetterQueue: 'outbound-sms.dead',
      channel,
      state,
      log: silent,
    })
    await consumer.start()
    await broker.publish(
      'outbound-sms',
      JSON.stringify({ number: '+15550199', text: 'one', id: 'a1' }),
    )
    await broker.publish('outbound-sms', '{"number": 5}')
    await broker.publish('outbound-sms', JSON.stringify({ number: '+15550199', text: 'two' }))
    await until(
      () => submitted.length === 2 && server.depth('outbound-sms.dead').ready === 1,
      'two taken, one refused',
    )
    assert.deepEqual(
      submitted.map((s) => [s.direction, s.connectorId, s.message.body.markdownText]),
      [
        ['outbound', 'sms', 'one'],
        ['outbound', 'sms', 'two'],
      ],
    )
    assert.deepEqual(await sendSmsOrigin(state, submitted[0]!.message.id), {
      appId: 'a1',
      number: '+15550199',
    })
    assert.deepEqual(server.depth('outbound-sms'), { ready: 0, unacked: 0 }, 'all settled')
    const [dead] = server.peek('outbound-sms.dead')
    assert.equal(dead?.toString(), '{"number": 5}')
    await consumer.stop()
    await broker.close()
  })

  it('acks only after the pipeline took the message; a failed submit leaves it queued', async () => {
    const server = createMemoryServer()
    const broker = server.connect()
    await broker.connect()
    let down = true
    const { pipeline, submitted } = fakePipeline(() => down)
    const consumer = createSendSmsConsumer({ broker, pipeline, queue: 'q', channel, log: silent })
    await consumer.start()
    await broker.publish('q', JSON.stringify({ number: '15550199', text: 'wait', id: 'w' }))
    await until(() => server.depth('q').unacked === 1, 'held while the pipeline is down')
    down = false
    await until(() => submitted.length === 1, 'taken once the pipeline is back', 10_000)
    await until(() => server.depth('q').unacked === 0 && server.depth('q').ready === 0, 'acked')
    await consumer.stop()
    await broker.close()
  })
})
