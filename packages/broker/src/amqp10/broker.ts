import type { Logger } from '@plugboard/sdk'
import type { Broker, BrokerOptions } from '../broker.js'
import { createDriver } from '../driver.js'
import { openAmqp10Session } from './session.js'

/**
 * The AMQP 1.0 driver (rhea) for RabbitMQ (3.x with the amqp1_0 plugin, or 4.x) and ActiveMQ
 * Artemis: settled sends, `autoaccept: false` receivers with credit managed by hand and restored
 * on every new link, dead-lettering by confirmed copy, delayed delivery (RabbitMQ wait queues,
 * Artemis `x-opt-delivery-time`), failover and reconnect with the topology replayed.
 */
export function createAmqp10Broker(options: BrokerOptions & { log: Logger }): Broker {
  return createDriver('amqp10', options, openAmqp10Session)
}
