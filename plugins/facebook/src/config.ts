import { attribute, PluginError, secret, z } from '@plugboard/sdk'

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

// `${env:…}` references arrive as strings even where the YAML would hold a boolean.
const flag = z.preprocess((value) => {
  if (typeof value !== 'string') return value
  if (/^(true|1|yes|on)$/i.test(value.trim())) return true
  if (/^(false|0|no|off)$/i.test(value.trim())) return false
  return value
}, z.boolean())

const PAGE_ID = /^\d+$/

/**
 * Page id → page access token. YAML gives a map; Unified Admin a string, either JSON
 * (`{"1234":"EAAB…"}`) or `pageId:token` pairs separated by commas or new lines.
 */
const PageTokens = z.preprocess(
  (value) => {
    if (typeof value !== 'string') return value
    const text = value.trim()
    if (text.startsWith('{')) {
      try {
        return JSON.parse(text) as unknown
      } catch {
        return value
      }
    }
    const pairs = text.split(/[,\n]/).map((pair) => pair.trim())
    const map: Record<string, string> = {}
    for (const pair of pairs.filter(Boolean)) {
      const at = pair.indexOf(':')
      if (at <= 0) return value
      map[pair.slice(0, at).trim()] = pair.slice(at + 1).trim()
    }
    return map
  },
  z.record(
    z.string().regex(PAGE_ID),
    z.string().trim().min(1, 'a page access token cannot be empty'),
    {
      // Only the shape gets this hint; a bad key or token keeps its own message.
      error: (issue) => {
        if (issue.code === 'invalid_key')
          return 'page ids are digits, as in the page’s About section'
        if (issue.code === 'invalid_type') {
          return 'FACEBOOK-PAGE-TOKENS must be {"<page id>": "<token>", …} or "<page id>:<token>,<page id>:<token>"'
        }
        return undefined
      },
    },
  ),
)

/** Connector config of the Messenger plugin: one connector is one Meta app and its Pages. */
export const FacebookConfig = z
  .object({
    appSecret: secret(optional(z.string().trim().min(1)), {
      key: 'FACEBOOK-APP-SECRET',
      label: 'App secret',
      help: 'The Meta app’s secret (App settings → Basic); verifies X-Hub-Signature-256 on every webhook. Defaults to the FACEBOOK_APP_SECRET environment variable.',
    }),
    verifyToken: secret(z.string().trim().min(1, 'FACEBOOK-PAGE-ACCESS-TOKEN is required'), {
      key: 'FACEBOOK-PAGE-ACCESS-TOKEN',
      label: 'Verify token',
      help: 'Any string you choose, entered as "Verify token" in the Meta app’s webhook settings. Expertflow names this attribute FACEBOOK-PAGE-ACCESS-TOKEN.',
    }),
    pageAccessToken: secret(optional(z.string().trim().min(1)), {
      key: 'FACEBOOK-API-KEY',
      label: 'Page access token',
      help: 'The access token of the page; with several pages, of every page not listed in FACEBOOK-PAGE-TOKENS.',
    }),
    pageTokens: secret(optional(PageTokens), {
      key: 'FACEBOOK-PAGE-TOKENS',
      label: 'Page access tokens by page',
      help: 'Optional, for one app serving several pages: {"<page id>": "<token>"} or "<page id>:<token>,…".',
    }),
    apiBaseUrl: attribute(withDefault(httpUrl(), 'https://graph.facebook.com/v21.0'), {
      key: 'FACEBOOK-HOST-URL',
      label: 'Graph API URL',
      help: 'The Graph API with its version, default https://graph.facebook.com/v21.0; a simulator in tests.',
      valueType: 'URL',
    }),
    humanAgentTag: attribute(withDefault(flag, false), {
      key: 'FACEBOOK-HUMAN-AGENT-TAG',
      label: 'Human agent tag',
      help: 'Agents may answer up to 7 days after the customer’s last message (MESSAGE_TAG HUMAN_AGENT). Needs Meta’s Human Agent permission for the app.',
      valueType: 'Boolean',
    }),
    sendRatePerSecond: attribute(optional(z.coerce.number().positive()), {
      key: 'FACEBOOK-SEND-RATE',
      label: 'Send rate per page (calls/s)',
      help: 'Optional. Most Send API calls per second and page; Meta allows about 300 (10 for audio and video).',
      valueType: 'PositiveNumber',
    }),
    timeoutMs: attribute(withDefault(z.coerce.number().int().positive(), 10_000), {
      key: 'FACEBOOK-TIMEOUT-MS',
      label: 'Timeout (ms)',
      help: 'Whole-request timeout of calls to the Graph API and of attachment downloads.',
      valueType: 'PositiveNumber',
    }),
  })
  .superRefine((config, issue) => {
    if (config.pageAccessToken === undefined && Object.keys(config.pageTokens ?? {}).length === 0) {
      issue.addIssue({
        code: 'custom',
        path: ['pageAccessToken'],
        message:
          'no page access token: set FACEBOOK-API-KEY (pageAccessToken), or FACEBOOK-PAGE-TOKENS (pageTokens) for several pages',
      })
    }
  })

export type FacebookConfig = z.output<typeof FacebookConfig>

/** The access token the Send API needs for a page; undefined when the config has none. */
export function pageToken(config: FacebookConfig, pageId: string): string | undefined {
  return config.pageTokens?.[pageId] ?? config.pageAccessToken
}

/**
 * The app secret: from the config, else CCM's `FACEBOOK_APP_SECRET` variable (Expertflow's
 * connector reads it there and Unified Admin has no attribute for it). The host does not map that
 * variable into plugin configs, so the plugin reads it itself.
 */
export function resolveAppSecret(
  config: FacebookConfig,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  const value = config.appSecret ?? env.FACEBOOK_APP_SECRET?.trim()
  if (value) return value
  throw PluginError.terminal(
    'FACEBOOK_APP_SECRET_MISSING',
    'no app secret to verify X-Hub-Signature-256: set appSecret (attribute FACEBOOK-APP-SECRET) or the FACEBOOK_APP_SECRET environment variable to the secret under App settings → Basic in the Meta app dashboard',
  )
}
