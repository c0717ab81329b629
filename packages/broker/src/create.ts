import type { Logger } from '@plugboard/sdk'
import { createAmqp10Broker } from './amqp10/broker.js'
import { createAmqp091Broker } from './amqp091/broker.js'
import type { Broker, BrokerOptions } from './broker.js'

/** The driver for `options.protocol`: amqplib for 0-9-1 (the default), rhea for 1.0. */
export function createBroker(options: BrokerOptions & { log: Logger }): Broker {
  return options.protocol === 'amqp10' ? createAmqp10Broker(options) : createAmqp091Broker(options)
}
