import { attribute, secret, z } from '@plugboard/sdk'

// Unified Admin sends an attribute nobody filled in as "", which must mean "not set".
const blankToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value

function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess(blankToUndefined, schema.optional()).optional()
}

// The outer default serves a missing key (and shows in `plugboard plugins`), the inner one "".
function withDefault<T extends z.ZodType>(schema: T, value: z.input<T>) {
  return z.preprocess(blankToUndefined, schema.default(value as never)).default(value as never)
}

const httpUrl = () => z.url({ protocol: /^https?$/ })

/** Connector config of the Twilio plugin: one connector is one Twilio account. */
export const TwilioConfig = z.object({
  accountSid: attribute(
    z
      .string()
      .trim()
      .regex(
        /^AC[0-9a-fA-F]{32}$/,
        'TWILIO_ACCOUNT_SID must be "AC" and 32 hex characters, as shown in the Twilio console',
      ),
    {
      key: 'TWILIO_ACCOUNT_SID',
      label: 'Account SID',
      help: 'The Twilio account (or subaccount) that owns the numbers of this connector.',
      valueType: 'String100',
    },
  ),
  authToken: secret(z.string().trim().min(1, 'TWILIO_AUTH_TOKEN is required'), {
    key: 'TWILIO_AUTH_TOKEN',
    label: 'Auth token',
    help: 'Authenticates API calls and verifies X-Twilio-Signature on webhooks.',
  }),
  messagingServiceSid: attribute(
    optional(
      z
        .string()
        .trim()
        .regex(
          /^MG[0-9a-fA-F]{32}$/,
          'TWILIO_MESSAGING_SERVICE_SID must be "MG" and 32 hex characters, or left empty',
        ),
    ),
    {
      key: 'TWILIO_MESSAGING_SERVICE_SID',
      label: 'Messaging Service SID',
      help: 'Optional. Sent with every message so the service’s features (sender pool, validity, link shortening) apply.',
      valueType: 'String100',
    },
  ),
  apiBaseUrl: attribute(withDefault(httpUrl(), 'https://api.twilio.com'), {
    key: 'TWILIO_API_BASE_URL',
    label: 'API base URL',
    help: 'Defaults to https://api.twilio.com; set a regional edge (e.g. https://api.dublin.ie1.twilio.com) or a simulator.',
    valueType: 'URL',
  }),
  webhookBaseUrl: attribute(optional(httpUrl()), {
    key: 'TWILIO_WEBHOOK_BASE_URL',
    label: 'Public webhook base URL',
    help: 'The URL Twilio calls for this connector, up to and including /webhooks/<connector id>. Twilio signs that URL; set it when a proxy changes the URL the host sees. Defaults to the host’s PUBLIC_URL.',
    valueType: 'URL',
  }),
  sendRatePerSecond: attribute(optional(z.coerce.number().positive()), {
    key: 'TWILIO_SEND_RATE',
    label: 'Send rate (messages/s)',
    help: 'Optional. Most messages per second this connector sends to Twilio; Twilio queues the excess of a sender’s own limit anyway.',
    valueType: 'PositiveNumber',
  }),
  timeoutMs: attribute(withDefault(z.coerce.number().int().positive(), 10_000), {
    key: 'TWILIO_TIMEOUT_MS',
    label: 'Timeout (ms)',
    help: 'Whole-request timeout of calls to Twilio (sends and media downloads).',
    valueType: 'PositiveNumber',
  }),
})

export type TwilioConfig = z.output<typeof TwilioConfig>
