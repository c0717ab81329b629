/**
 * @module
 * CIM `TEMPLATE` bodies as WhatsApp template messages. CIM models components and parameters on
 * WhatsApp's own shape (`parameterType` plus `additionalParameterDetails`), so a parameter's
 * details may already be WhatsApp's (`{text: "Ada"}`, `{image: {link}}`) or a flat value
 * (`{value: "Ada"}`, `{link: "https://…"}`).
 */
import {
  type CimMessage,
  PluginError,
  type TemplateBody,
  type TemplateParameter,
} from '@plugboard/sdk'
import { nonEmpty } from './render.js'

export function templateContent(body: TemplateBody, message: CimMessage): Record<string, unknown> {
  const details = body.additionalDetails ?? {}
  const code = nonEmpty(body.language?.code) ?? nonEmpty(details.language)
  if (code === undefined) {
    throw PluginError.terminal(
      'TEMPLATE_WITHOUT_LANGUAGE',
      `template "${body.name}" of message ${message.id} has no language: set language.code to the language it was approved in, e.g. en_US`,
    )
  }
  const components = (body.components ?? []).map((component) => {
    const extra = component.additionalComponentDetails ?? {}
    const parameters = (component.parameters ?? []).map(templateParameter)
    return {
      type: String(component.type ?? 'body').toLowerCase(),
      ...(typeof extra.sub_type === 'string' ? { sub_type: extra.sub_type } : {}),
      ...(extra.index !== undefined ? { index: String(extra.index) } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
    }
  })
  return {
    name: body.name,
    language: { policy: nonEmpty(body.language?.policy) ?? 'deterministic', code },
    ...(components.length > 0 ? { components } : {}),
  }
}

export function templateParameter(parameter: TemplateParameter): Record<string, unknown> {
  const type = parameter.parameterType ?? 'text'
  const d = parameter.additionalParameterDetails ?? {}
  const out: Record<string, unknown> = { type }
  if (typeof d.parameter_name === 'string') out.parameter_name = d.parameter_name
  if (d[type] !== undefined) {
    out[type] = d[type]
    return out
  }
  const value = d.value ?? d.text
  switch (type) {
    case 'text':
      out.text = value === undefined ? '' : String(value)
      return out
    case 'payload':
      out.payload = String(d.payload ?? value ?? '')
      return out
    case 'currency':
      out.currency = {
        fallback_value: String(d.fallback_value ?? value ?? ''),
        ...(d.code === undefined ? {} : { code: d.code }),
        ...(d.amount_1000 === undefined ? {} : { amount_1000: d.amount_1000 }),
      }
      return out
    case 'date_time':
      out.date_time = { fallback_value: String(d.fallback_value ?? value ?? '') }
      return out
    case 'image':
    case 'video':
    case 'document': {
      const link = d.link ?? d.url ?? value
      out[type] = {
        ...(d.id === undefined ? { link } : { id: d.id }),
        ...(type === 'document' && d.filename !== undefined ? { filename: d.filename } : {}),
      }
      return out
    }
    default:
      return { ...d, type }
  }
}
