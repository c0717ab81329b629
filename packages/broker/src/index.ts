/**
 * @module @plugboard/broker
 * Message-broker drivers behind one interface: AMQP 0-9-1 (amqplib) and AMQP 1.0 (rhea).
 */

export { createAmqp10Broker } from './amqp10/broker.js'
export { createAmqp091Broker } from './amqp091/broker.js'
export type * from './broker.js'
export { createBroker } from './create.js'
export {
  DEAD_LETTER_AT,
  DEAD_LETTER_REASON,
  DEAD_LETTER_SOURCE,
  deadLetterQueueOf,
} from './dead-letter.js'
export { DELAY_BUCKETS_MS, delayBucket, MAX_DELAY_MS, waitQueueName } from './delay.js'
export { BrokerError, type BrokerErrorCode, isBrokerError } from './errors.js'
export {
  BrokerOptionsSchema,
  brokerOptionsFromEnv,
  type ResolvedBrokerOptions,
  resolveBrokerOptions,
} from './options.js'

// Pipeline, SendSms and state store (packages/broker/src/pipeline, sendsms, state).
export {
  type BrokerPipeline,
  type BrokerPipelineOptions,
  createBrokerPipeline,
} from './pipeline/broker-pipeline.js'
export * from './sendsms/index.js'
export {
  createRedisStateStore,
  type RedisStateStore,
  type RedisStateStoreOptions,
} from './state/redis-state-store.js'
