import { Counter, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import type { QueryMetrics } from '../queryMetrics.js';

/** Requests and latency of the Loki API, by endpoint; registered on the registry given. */
export function createLokiMetrics(registry: Registry): QueryMetrics {
  const requests = new Counter({
    name: 'vigil_loki_requests_total',
    help: 'Loki API requests, by endpoint and HTTP status code.',
    labelNames: ['endpoint', 'code'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'vigil_loki_request_duration_seconds',
    help: 'Time to answer a Loki API request, by endpoint.',
    labelNames: ['endpoint'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [registry],
  });
  return {
    observe(endpoint, statusCode, seconds) {
      requests.inc({ endpoint, code: String(statusCode) });
      duration.observe({ endpoint }, seconds);
    },
  };
}
