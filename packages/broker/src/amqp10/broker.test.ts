import { runDriverSuite } from '../testing/driver-suite.js'
import { createAmqp10Broker } from './broker.js'

runDriverSuite('amqp10', createAmqp10Broker)
