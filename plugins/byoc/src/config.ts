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
const seconds = () => z.coerce.number().int().min(0)
const required = (what: string) => z.string().trim().min(1, `${what} is required`)

/**
 * Connector config of the BYOC plugin: one connector is one CXone BYOC channel, served to the
 * customers of every channel routed to it.
 */
export const ByocConfig = z.object({
  channelId: attribute(required('CXONE_CHANNEL_ID'), {
    key: 'CXONE_CHANNEL_ID',
    label: 'CXone channel id',
    help: 'The id of the BYOC channel in CXone (ACD > Digital > channels); messages are created on it.',
    valueType: 'String100',
  }),
  apiUrl: attribute(httpUrl(), {
    key: 'CXONE_API_URL',
    label: 'Digital Engagement API URL',
    help: "Your tenant's DE API host, e.g. https://api-de-na1.niceincontact.com.",
    valueType: 'URL',
  }),
  authUrl: attribute(withDefault(httpUrl(), 'https://cxone.niceincontact.com/auth/token'), {
    key: 'CXONE_AUTH_URL',
    label: 'CXone token URL',
    help: 'Where the access key is exchanged for an API token; defaults to https://cxone.niceincontact.com/auth/token.',
    valueType: 'URL',
  }),
  accessKeyId: attribute(required('CXONE_ACCESS_KEY_ID'), {
    key: 'CXONE_ACCESS_KEY_ID',
    label: 'Access key id',
    help: 'A CXone access key of an API user allowed to use Digital Engagement.',
    valueType: 'String100',
  }),
  accessKeySecret: secret(required('CXONE_ACCESS_KEY_SECRET'), {
    key: 'CXONE_ACCESS_KEY_SECRET',
    label: 'Access key secret',
  }),
  clientId: attribute(required('CXONE_CLIENT_ID'), {
    key: 'CXONE_CLIENT_ID',
    label: 'CXone OAuth client id',
    help: 'The client id of the application registered with CXone for API calls.',
    valueType: 'String100',
  }),
  clientSecret: secret(required('CXONE_CLIENT_SECRET'), {
    key: 'CXONE_CLIENT_SECRET',
    label: 'CXone OAuth client secret',
  }),
  middlewareClientId: attribute(required('BYOC_CLIENT_ID'), {
    key: 'BYOC_CLIENT_ID',
    label: 'Middleware client id',
    help: 'The Client ID entered in the CXone BYOC integration; CXone presents it to the token endpoint.',
    valueType: 'String100',
  }),
  middlewareClientSecret: secret(
    z.string().trim().min(16, 'BYOC_CLIENT_SECRET needs at least 16 characters'),
    {
      key: 'BYOC_CLIENT_SECRET',
      label: 'Middleware client secret',
      help: 'The Client Secret entered in the CXone BYOC integration. Changing it revokes the tokens issued so far.',
    },
  ),
  tokenTtlSeconds: attribute(withDefault(z.coerce.number().int().min(60).max(86_400), 3_600), {
    key: 'BYOC_TOKEN_TTL_SECONDS',
    label: 'Token lifetime (s)',
    help: 'Lifetime of the bearer tokens issued to CXone; CXone fetches a new one when a call answers 401.',
    valueType: 'PositiveNumber',
  }),
  defaultServiceIdentifier: attribute(optional(z.string().trim().min(1)), {
    key: 'BYOC_DEFAULT_CHANNEL',
    label: 'Channel for new conversations',
    help: 'The routed channel (serviceIdentifier) that carries conversations CXone starts itself; defaults to the first channel routed to this connector.',
    valueType: 'String100',
  }),
  idlePromptSeconds: attribute(withDefault(seconds(), 120), {
    key: 'BYOC_IDLE_PROMPT_SECONDS',
    label: 'Idle prompt after (s)',
    help: 'Customer silence after an agent message before the idle prompt is sent; 0 turns the idle flow off.',
    valueType: 'Number',
  }),
  idleCountdownSeconds: attribute(withDefault(z.coerce.number().int().min(1), 20), {
    key: 'BYOC_IDLE_COUNTDOWN_SECONDS',
    label: 'Idle countdown (s)',
    help: 'After the prompt, the thread ends unless the customer writes within this time.',
    valueType: 'PositiveNumber',
  }),
  idlePromptText: attribute(withDefault(z.string().trim().min(1), 'Are you still there?'), {
    key: 'BYOC_IDLE_PROMPT_TEXT',
    label: 'Idle prompt',
    valueType: 'String2000',
  }),
  idleEndText: attribute(
    withDefault(
      z.string(),
      'This conversation has ended. Write again any time to start a new one.',
    ),
    {
      key: 'BYOC_IDLE_END_TEXT',
      label: 'Idle end message',
      help: 'Sent to the customer when the countdown ends the thread; empty sends nothing.',
      valueType: 'String2000',
    },
  ),
  afterAgentEnd: attribute(withDefault(z.enum(['new-thread', 'notice']), 'new-thread'), {
    key: 'BYOC_AFTER_AGENT_END',
    label: 'After the agent ends a thread',
    help: '`new-thread`: the next customer message starts a new thread. `notice`: for BYOC_CLOSED_NOTICE_SECONDS the customer gets the closed notice and nothing reaches CXone.',
    valueType: 'String50',
  }),
  closedNoticeText: attribute(
    withDefault(
      z.string().trim().min(1),
      'This conversation was closed by our agent. Please contact us again later.',
    ),
    { key: 'BYOC_CLOSED_NOTICE_TEXT', label: 'Closed notice', valueType: 'String2000' },
  ),
  closedNoticeSeconds: attribute(withDefault(seconds(), 3_600), {
    key: 'BYOC_CLOSED_NOTICE_SECONDS',
    label: 'Closed notice period (s)',
    help: 'With `notice`: how long after the agent ended the thread messages get the notice; later ones start a new thread. 0 = always the notice.',
    valueType: 'Number',
  }),
  timeoutMs: attribute(withDefault(z.coerce.number().int().positive(), 10_000), {
    key: 'CXONE_TIMEOUT_MS',
    label: 'Timeout (ms)',
    help: 'Whole-request timeout of calls to CXone.',
    valueType: 'PositiveNumber',
  }),
})

export type ByocConfig = z.output<typeof ByocConfig>
