import type { Logger } from '@plugboard/sdk'
import type { Broker, BrokerOptions } from '../broker.js'
import { createDriver } from '../driver.js'
import { openAmqp091Session } from './session.js'

/**
 * The AMQP 0-9-1 driver (amqplib) for RabbitMQ: publisher confirms with mandatory routing,
 * manual acks on a channel per consumer, dead-lettering by confirmed copy, delayed delivery
 * through TTL wait queues, failover and reconnect with the topology replayed.
 */
export function createAmqp091Broker(options: BrokerOptions & { log: Logger }): Broker {
  return createDriver('amqp091', options, openAmqp091Session)
}
