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

// Attributes arrive as strings ("true", "false"); YAML gives booleans.
const flag = z.preprocess((value) => {
  if (typeof value !== 'string') return value
  if (/^(true|1|yes|on)$/i.test(value.trim())) return true
  if (/^(false|0|no|off)$/i.test(value.trim())) return false
  return value
}, z.boolean())

const httpUrl = () => z.url({ protocol: /^https?$/ })

/** The default API: 360dialog's Cloud API host. */
export const DEFAULT_HOST_URL = 'https://waba-v2.360dialog.io'
/** The header the connector asks 360dialog to send its webhook token in. */
export const DEFAULT_TOKEN_HEADER = 'X-Plugboard-Token'

/** Connector config of the 360dialog plugin: one connector is one WhatsApp number and its API key. */
export const Dialog360Config = z
  .object({
    apiKey: secret(z.string().trim().min(1, 'API-KEY is required'), {
      key: 'API-KEY',
      label: 'API key',
      help: 'The D360-API-KEY of the WhatsApp number, from the 360dialog Hub.',
      valueType: 'String100',
    }),
    hostUrl: attribute(withDefault(httpUrl(), DEFAULT_HOST_URL), {
      key: 'HOST-URL',
      label: 'API host URL',
      help: 'Defaults to https://waba-v2.360dialog.io (Cloud API). The sandbox or a simulator also go here.',
      valueType: 'String100',
    }),
    phoneNumber: attribute(
      optional(
        z
          .string()
          .trim()
          .regex(
            /^\+?[0-9][0-9 ().-]{5,20}$/,
            'PHONE-NUMBER must be a phone number, e.g. 4930123456',
          ),
      ),
      {
        key: 'PHONE-NUMBER',
        label: 'WhatsApp number',
        help: 'Optional. The number of this connector; defaults to the serviceIdentifier of its channel.',
        valueType: 'PhoneNumber',
      },
    ),
    registerWebhook: attribute(withDefault(flag, false), {
      key: 'REGISTER-WEBHOOK',
      label: 'Register webhook at start',
      help: 'Set the number’s webhook at 360dialog (URL and token header) whenever the connector starts. Replaces the webhook set in the Hub.',
      valueType: 'Boolean',
    }),
    webhookToken: secret(
      optional(z.string().trim().min(16, 'WEBHOOK-TOKEN needs 16 characters or more')),
      {
        key: 'WEBHOOK-TOKEN',
        label: 'Webhook token',
        help: 'The value 360dialog sends in the token header with every webhook. Derived from the API key when empty.',
      },
    ),
    webhookTokenHeader: attribute(
      withDefault(
        z
          .string()
          .trim()
          .regex(
            /^[A-Za-z0-9-]+$/,
            'WEBHOOK-TOKEN-HEADER must be a header name, e.g. X-Plugboard-Token',
          ),
        DEFAULT_TOKEN_HEADER,
      ),
      {
        key: 'WEBHOOK-TOKEN-HEADER',
        label: 'Webhook token header',
        help: 'The header that carries the webhook token. Default X-Plugboard-Token.',
        valueType: 'String50',
      },
    ),
    partnerSecret: secret(optional(z.string().trim().min(1)), {
      key: 'PARTNER-WEBHOOK-SECRET',
      label: 'Partner platform secret',
      help: 'Partners only: 360dialog signs partner webhooks with it (x-360dialog-signature); when set, the signature is required instead of the token.',
    }),
    webhookBaseUrl: attribute(optional(httpUrl()), {
      key: 'WEBHOOK-BASE-URL',
      label: 'Public webhook base URL',
      help: 'The URL 360dialog calls for this connector, up to and including /webhooks/<connector id>. Defaults to the host’s PUBLIC_URL.',
      valueType: 'URL',
    }),
    timeoutMs: attribute(withDefault(z.coerce.number().int().positive(), 10_000), {
      key: 'TIMEOUT-MS',
      label: 'Timeout (ms)',
      help: 'Whole-request timeout of calls to 360dialog (sends, media, webhook registration).',
      valueType: 'PositiveNumber',
    }),
  })
  .superRefine((config, issues) => {
    if (config.registerWebhook || config.webhookToken || config.partnerSecret) return
    issues.addIssue({
      code: 'custom',
      path: ['webhookToken'],
      message:
        '360dialog webhooks cannot be authenticated: set WEBHOOK-TOKEN and add it to the webhook in the 360dialog Hub as the header named by WEBHOOK-TOKEN-HEADER (default X-Plugboard-Token), or set REGISTER-WEBHOOK to true so the connector registers URL and token itself, or (partners) set PARTNER-WEBHOOK-SECRET',
    })
  })

export type Dialog360Config = z.output<typeof Dialog360Config>
