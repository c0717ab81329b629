/**
 * Environment variables that override the config file. The names are CCM's own, so a
 * deployment that configured an Expertflow connector sets the same variables here.
 */
export function applyEnvironment(
  raw: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
): Record<string, unknown> {
  const out = structuredClone(raw)
  const set = (path: string[], value: unknown) => {
    let node = out as Record<string, unknown>
    for (const key of path.slice(0, -1)) {
      if (typeof node[key] !== 'object' || node[key] === null) node[key] = {}
      node = node[key] as Record<string, unknown>
    }
    node[path[path.length - 1]!] = value
  }
  const str = (name: string, path: string[]) => {
    const v = env[name]
    if (v !== undefined && v !== '') set(path, v)
  }
  const num = (name: string, path: string[]) => {
    const v = env[name]
    if (v !== undefined && v !== '') set(path, Number(v))
  }
  const bool = (name: string, path: string[]) => {
    const v = env[name]
    if (v !== undefined && v !== '') set(path, /^(1|true|yes|on)$/i.test(v.trim()))
  }
  num('PORT', ['port'])
  str('PUBLIC_URL', ['publicUrl'])
  str('CCM_URL', ['ccm', 'url'])
  num('CCM_TIMEOUT_MS', ['ccm', 'timeoutMs'])
  str('FILE_ENGINE_URL', ['fileEngine', 'url'])
  str('FILE_ENGINE_PUBLIC_URL', ['fileEngine', 'publicUrl'])
  // The broker, SendSms, delivery reports and the CRM: CCM's AMQ_* and related names.
  str('AMQ_PROTOCOL', ['broker', 'protocol'])
  str('AMQ_PRIMARY', ['broker', 'primary'])
  str('AMQ_SECONDARY', ['broker', 'secondary'])
  str('AMQ_HOST', ['broker', 'host'])
  num('AMQ_PORT', ['broker', 'port'])
  str('AMQ_USER', ['broker', 'username'])
  str('AMQ_USERNAME', ['broker', 'username'])
  str('AMQ_PASSWORD', ['broker', 'password'])
  num('AMQ_TIMEOUT', ['broker', 'timeoutMs'])
  num('AMQ_PREFETCH_SIZE', ['broker', 'prefetch'])
  bool('AMQ_PRIORITY_BACKUP', ['broker', 'priorityBackup'])
  bool('AMQ_RANDOMIZE', ['broker', 'randomize'])
  bool('AMQ_SSL_ENABLED', ['broker', 'ssl', 'enabled'])
  str('AMQ_SSL_CA', ['broker', 'ssl', 'caFile'])
  str('AMQ_SSL_CERT', ['broker', 'ssl', 'certFile'])
  str('AMQ_SSL_KEY', ['broker', 'ssl', 'keyFile'])
  str('PIPELINE_BACKEND', ['pipeline', 'backend'])
  num('PIPELINE_SHARDS', ['pipeline', 'shards'])
  str('STATE_BACKEND', ['state', 'backend'])
  str('REDIS_URL', ['state', 'url'])
  bool('CONSUMER_ENABLE', ['sendSms', 'enabled'])
  bool('CONSUMER_ENABLED', ['sendSms', 'enabled'])
  str('AMQ_OUTBOUND_QUEUE', ['sendSms', 'queue'])
  str('SENDSMS_CONNECTOR', ['sendSms', 'connector'])
  str('SENDSMS_FROM', ['sendSms', 'serviceIdentifier'])
  bool('PUBLISHER_ENABLE', ['sendSms', 'reports', 'enabled'])
  str('AMQ_DELIVERY_QUEUE', ['sendSms', 'reports', 'queue'])
  str('CRM_API_URL', ['crm', 'url'])
  str('CRM_API_USER', ['crm', 'user'])
  str('CRM_API_PASSWORD', ['crm', 'password'])
  bool('IS_CRM_UPDATE_DISABLED', ['crm', 'disabled'])
  str('PLUGBOARD_STORE', ['store', 'path'])
  str('ADMIN_TOKEN', ['admin', 'token'])
  bool('ENABLE_SSL', ['tls', 'enabled'])
  str('SSL_KEY_PATH', ['tls', 'keyPath'])
  str('SSL_CERT_PATH', ['tls', 'certPath'])
  bool('USE_FORWARD_PROXY', ['proxy', 'enabled'])
  str('FORWARD_PROXY_HOST', ['proxy', 'host'])
  num('FORWARD_PROXY_PORT', ['proxy', 'port'])
  str('FORWARD_PROXY_USER', ['proxy', 'user'])
  str('FORWARD_PROXY_PASSWORD', ['proxy', 'password'])
  str('LOG_LEVEL', ['log', 'level'])
  str('LOG_PATH', ['log', 'path'])
  str('LOG_FILE_SIZE', ['log', 'fileSize'])
  num('LOG_BACKUP_FILES', ['log', 'backupFiles'])
  str('LOGS_TOTAL_SIZE', ['log', 'totalSize'])
  const list = (name: string, path: string[]) => {
    const v = env[name]
    if (v !== undefined && v.trim() !== '') set(path, splitList(v))
  }
  list('SERVICE_IDENTIFIERS', ['unifiedAdmin', 'channels'])
  list('SERVICE_IDENTIFIER', ['unifiedAdmin', 'channels'])
  const resync = env.UNIFIED_ADMIN_RESYNC_SECONDS
  if (resync !== undefined && resync !== '')
    set(['unifiedAdmin', 'resyncIntervalMs'], Number(resync) * 1000)
  str('CONNECTOR_CONFIG_TOKEN', ['unifiedAdmin', 'push', 'token'])
  list('CONNECTOR_CONFIG_ALLOW', ['unifiedAdmin', 'push', 'allow'])
  const skills = env.SKILL_GROUPS
  if (skills !== undefined && skills.trim() !== '') set(['skillGroups'], parseSkillGroups(skills))
  num('CUSTOMER_INACTIVITY_TIMEOUT', ['customerInactivityTimeout'])
  return out
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
}

/** `whatsapp, premium|facebook, gold|sms, silver` → { whatsapp: 'premium', facebook: 'gold', sms: 'silver' }. */
export function parseSkillGroups(value: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const pair of value.split('|')) {
    const [channel, queue] = pair.split(',').map((s) => s.trim())
    // A pair without a queue stays, empty, so validation names it instead of dropping it.
    if (channel) out[channel.toLowerCase()] = queue ?? ''
  }
  return out
}
