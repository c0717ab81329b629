import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'

/** The host's Prometheus metrics; one instance per host so tests can run hosts side by side. */
export function createMetrics() {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'plugboard_process_' })
  const messages = new Counter({
    name: 'plugboard_messages_total',
    help: 'Messages handled, by connector, direction (inbound = to the center, outbound = to the customer) and outcome.',
    labelNames: ['connector', 'direction', 'outcome'] as const,
    registers: [registry],
  })
  const webhookResponses = new Counter({
    name: 'plugboard_webhook_responses_total',
    help: 'HTTP responses to provider and CCM webhooks, by connector (or "ccm") and status code.',
    labelNames: ['connector', 'status'] as const,
    registers: [registry],
  })
  const retries = new Counter({
    name: 'plugboard_retries_total',
    help: 'Delivery attempts scheduled again after a retryable failure.',
    labelNames: ['connector', 'direction', 'kind'] as const,
    registers: [registry],
  })
  const deadLetters = new Counter({
    name: 'plugboard_dead_letters_total',
    help: 'Messages moved to the dead-letter queue.',
    labelNames: ['connector', 'direction'] as const,
    registers: [registry],
  })
  const latency = new Histogram({
    name: 'plugboard_pipeline_latency_seconds',
    help: 'Time from accepting a message to handing it on successfully.',
    labelNames: ['direction'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [registry],
  })
  const queueDepth = new Gauge({
    name: 'plugboard_queue_depth',
    help: 'Messages waiting in the pipeline (ready or retrying), and dead letters.',
    labelNames: ['state'] as const,
    registers: [registry],
  })
  const connectorUp = new Gauge({
    name: 'plugboard_connector_up',
    help: '1 when the connector is running, 0.5 when degraded, 0 when failed or stopped.',
    labelNames: ['connector', 'plugin'] as const,
    registers: [registry],
  })
  const configReloads = new Counter({
    name: 'plugboard_config_reloads_total',
    help: 'Config reloads by outcome (applied, invalid, unchanged) and connector swaps.',
    labelNames: ['outcome'] as const,
    registers: [registry],
  })
  const signatureFailures = new Counter({
    name: 'plugboard_webhook_signature_failures_total',
    help: 'Provider webhooks refused for a missing or bad signature.',
    labelNames: ['connector'] as const,
    registers: [registry],
  })
  const unifiedAdmin = new Counter({
    name: 'plugboard_unified_admin_events_total',
    help: 'Unified Admin config events: pulls and pushes, by outcome (applied, unchanged, rejected, failed).',
    labelNames: ['event', 'outcome'] as const,
    registers: [registry],
  })
  const inactivityEnds = new Counter({
    name: 'plugboard_inactivity_chat_ends_total',
    help: 'Chats ended because the customer was idle longer than CUSTOMER_INACTIVITY_TIMEOUT.',
    labelNames: ['connector'] as const,
    registers: [registry],
  })
  return {
    registry,
    unifiedAdmin,
    inactivityEnds,
    messages,
    webhookResponses,
    retries,
    deadLetters,
    latency,
    queueDepth,
    connectorUp,
    configReloads,
    signatureFailures,
  }
}

export type Metrics = ReturnType<typeof createMetrics>
