import { runDriverSuite } from '../testing/driver-suite.js'
import { createAmqp091Broker } from './broker.js'

runDriverSuite('amqp091', createAmqp091Broker)
