import { attribute, secret, z } from '@plugboard/sdk'

/** Connector config of the generic HTTP/JSON channel, filled from Unified Admin attributes. */
export const GenericHttpConfig = z.object({
  outboundUrl: attribute(z.url({ protocol: /^https?$/ }), {
    key: 'HTTP-OUTBOUND-URL',
    label: 'Outbound URL',
    help: 'URL the connector POSTs outbound messages to, as JSON.',
    valueType: 'URL',
  }),
  sharedSecret: secret(z.string().min(1).optional(), {
    key: 'HTTP-SHARED-SECRET',
    label: 'Shared secret',
    help: 'When set, inbound webhooks must carry X-Plugboard-Signature and outbound POSTs are signed.',
  }),
  timeoutMs: attribute(z.coerce.number().int().positive().default(10_000), {
    key: 'HTTP-TIMEOUT-MS',
    label: 'Timeout (ms)',
    help: 'Whole-request timeout of outbound POSTs.',
    valueType: 'PositiveNumber',
  }),
})

export type GenericHttpConfig = z.output<typeof GenericHttpConfig>
