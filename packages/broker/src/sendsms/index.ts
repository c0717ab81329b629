export {
  createSendSmsConsumer,
  type SendSmsConsumer,
  type SendSmsConsumerOptions,
} from './consumer.js'
export { type CrmClient, type CrmOptions, createCrmClient } from './crm.js'
export { cimIdFor, parseSendSms, type SendSms, SendSmsSchema, toCimMessage } from './message.js'
export type { DeliveryReport } from './report.js'
export {
  createDeliveryReports,
  type DeliveryReports,
  type DeliveryReportsOptions,
} from './reports.js'
