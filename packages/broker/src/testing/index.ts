/**
 * @module @plugboard/broker/testing
 * Test helpers: private RabbitMQ nodes that can be killed and restarted, and a TCP proxy that
 * drops connections on demand. Not for production code.
 */
export {
  answers,
  type RabbitNode,
  type RabbitNodeOptions,
  type RabbitNodeTls,
  rabbitServerCommand,
  startRabbitNode,
} from './rabbit-node.js'
export { startTcpProxy, type TcpProxy } from './tcp-proxy.js'
