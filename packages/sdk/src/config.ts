import { z } from 'zod'

/** Unified Admin attribute value types (CCM's `ValueType` enum). */
export type AttributeValueType =
  | 'Alphanum100'
  | 'AlphanumSpecial200'
  | 'String2000'
  | 'String50'
  | 'String100'
  | 'PositiveNumber'
  | 'IP'
  | 'Number'
  | 'PhoneNumber'
  | 'URL'
  | 'Boolean'
  | 'Email'
  | 'Password'
  | 'StringList'

export interface AttributeMeta {
  /** The Unified Admin attribute key this field is filled from, e.g. `TWILIO_ACCOUNT_SID`. */
  key?: string
  label?: string
  help?: string
  valueType?: AttributeValueType
  /** Never logged, shown or returned by the admin API. */
  secret?: boolean
}

/** Where config-field metadata lives; the host reads it to redact and to print attribute tables. */
export const attributeRegistry = z.registry<AttributeMeta>()

/**
 * Marks a config field with its Unified Admin attribute key and help text.
 * @example
 * const Config = z.object({ accountSid: attribute(z.string(), { key: 'TWILIO_ACCOUNT_SID' }) })
 */
export function attribute<T extends z.ZodType>(schema: T, meta: AttributeMeta): T {
  const previous = attributeRegistry.get(schema) ?? {}
  // Registering on a clone keeps a schema shared by two fields from getting both fields' metadata.
  const target = schema.clone() as T
  attributeRegistry.add(target, { ...previous, ...meta })
  return target
}

/** Marks a config field as secret: redacted in logs, `/admin` and `plugboard plugins`. */
export function secret<T extends z.ZodType>(
  schema: T,
  meta: Omit<AttributeMeta, 'secret'> = {},
): T {
  return attribute(schema, { valueType: 'Password', ...meta, secret: true })
}

export interface ConfigField {
  /** Property name in the typed config. */
  name: string
  required: boolean
  secret: boolean
  key: string | undefined
  label: string
  help: string | undefined
  valueType: AttributeValueType
  defaultValue: unknown
}

/** Lists the top-level fields of a plugin's config schema with their attribute metadata. */
export function describeConfig(schema: z.ZodType): ConfigField[] {
  const shape = objectShape(schema)
  if (!shape) return []
  return Object.entries(shape).map(([name, field]) => {
    const { inner, optional, defaultValue } = unwrap(field)
    const meta = attributeRegistry.get(field) ?? attributeRegistry.get(inner) ?? {}
    return {
      name,
      required: !optional,
      secret: meta.secret === true,
      key: meta.key,
      label: meta.label ?? name,
      help: meta.help ?? field.description ?? inner.description,
      valueType: meta.valueType ?? inferValueType(inner),
      defaultValue,
    }
  })
}

/** Names of the secret fields in a config schema. */
export function secretFields(schema: z.ZodType): string[] {
  return describeConfig(schema)
    .filter((f) => f.secret)
    .map((f) => f.name)
}

/** A copy of `config` with every secret field replaced by `[redacted]`. */
export function redactConfig(schema: z.ZodType, config: unknown): unknown {
  if (typeof config !== 'object' || config === null) return config
  const copy: Record<string, unknown> = { ...(config as Record<string, unknown>) }
  for (const name of secretFields(schema)) if (name in copy) copy[name] = '[redacted]'
  return copy
}

function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  const { inner } = unwrap(schema)
  if (inner instanceof z.ZodObject) return inner.shape as Record<string, z.ZodType>
  return undefined
}

function unwrap(schema: z.ZodType): { inner: z.ZodType; optional: boolean; defaultValue: unknown } {
  let inner = schema
  let optional = false
  let defaultValue: unknown
  for (let i = 0; i < 10; i++) {
    if (inner instanceof z.ZodOptional || inner instanceof z.ZodNullable) {
      optional = true
      inner = inner.unwrap() as z.ZodType
    } else if (inner instanceof z.ZodDefault) {
      optional = true
      const def = inner.def.defaultValue
      defaultValue = typeof def === 'function' ? (def as () => unknown)() : def
      inner = inner.unwrap() as z.ZodType
    } else if (inner instanceof z.ZodPipe) {
      inner = inner.in as z.ZodType
    } else break
  }
  return { inner, optional, defaultValue }
}

function inferValueType(schema: z.ZodType): AttributeValueType {
  if (schema instanceof z.ZodBoolean) return 'Boolean'
  if (schema instanceof z.ZodNumber) return 'Number'
  if (schema instanceof z.ZodURL) return 'URL'
  if (schema instanceof z.ZodArray) return 'StringList'
  return 'String100'
}

/** A Unified Admin attribute as CCM stores and pushes it (`channelProviderConfigs` items). */
export interface Attribute {
  key: string
  type?: string
  value: unknown
}

export interface AttributeMapping {
  /** The plugin config object, before the plugin's schema validated it. */
  config: Record<string, unknown>
  /** Attribute keys no config field is mapped to (kept out of the config, worth a log line). */
  unknownKeys: string[]
}

/**
 * Turns Unified Admin attributes into a plugin config object: each field marked with
 * `attribute(…, { key })` takes the value of that key, coerced from the attribute's value type
 * (Unified Admin stores most values as strings). Validation stays with the plugin's schema, so its
 * error messages name the field.
 */
export function attributesToConfig(
  schema: z.ZodType,
  attributes: readonly Attribute[],
): AttributeMapping {
  const fields = new Map<string, ConfigField>()
  for (const field of describeConfig(schema)) if (field.key) fields.set(field.key, field)
  const config: Record<string, unknown> = {}
  const unknownKeys: string[] = []
  for (const attr of attributes) {
    const field = fields.get(attr.key)
    if (!field) {
      unknownKeys.push(attr.key)
      continue
    }
    // An empty optional attribute means "not set", so the plugin's default applies.
    if ((attr.value === '' || attr.value === null) && !field.required) continue
    config[field.name] = coerce(attr.value, field.valueType)
  }
  return { config, unknownKeys }
}

function coerce(value: unknown, type: AttributeValueType): unknown {
  if (typeof value !== 'string') return value
  const text = value.trim()
  switch (type) {
    case 'Boolean':
      if (/^(true|1|yes|on)$/i.test(text)) return true
      if (/^(false|0|no|off)$/i.test(text)) return false
      return value
    case 'Number':
    case 'PositiveNumber':
      return text !== '' && Number.isFinite(Number(text)) ? Number(text) : value
    case 'StringList':
      return text === ''
        ? []
        : text
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
    default:
      return value
  }
}
