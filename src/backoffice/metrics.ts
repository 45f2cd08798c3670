import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The back office's Prometheus metrics (prom-client), one registry per server so that several
 * servers in one process never share counters. Scraped at GET /metrics.
 */
export class BackofficeMetrics {
  readonly registry = new Registry();
  readonly heldLongPolls = new Gauge({ name: 'backoffice_long_polls_held', help: 'Long-polls held open right now.', registers: [this.registry] });
  readonly heldAssistancePolls = new Gauge({ name: 'backoffice_assistance_polls_held', help: 'Long-polls for remote-assistance requests held open right now.', registers: [this.registry] });
  readonly heldLogins = new Gauge({ name: 'backoffice_logins_held', help: 'Login attempts waiting out their source\'s throttle delay.', registers: [this.registry] });
  readonly wakeUpSeconds = new Histogram({
    name: 'backoffice_wakeup_latency_seconds',
    help: 'From a license being issued (any instance or the vendor CLI) to a held long-poll answered with it.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly requests = new Counter({
    name: 'backoffice_http_requests_total',
    help: 'Requests answered, by operation (openapi.json operationId) and status.',
    labelNames: ['operation', 'status'] as const,
    registers: [this.registry],
  });
  readonly loginsFailed = new Counter({ name: 'backoffice_logins_failed_total', help: 'Logins refused for a wrong organisation ID or verification code.', registers: [this.registry] });
  readonly incidents = new Counter({ name: 'backoffice_incidents_total', help: 'Requests that failed unexpectedly (500, logged with an incident id).', registers: [this.registry] });
  readonly storeUp = new Gauge({ name: 'backoffice_store_ready', help: '1 while the database is reachable, migrated and its change notifications arrive.', registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
