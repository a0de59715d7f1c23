import { Counter, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';

/** Requests and latency of one HTTP query API, by endpoint. */
export interface QueryMetrics {
  observe(endpoint: string, statusCode: number, seconds: number): void;
}

/**
 * Registers `<prefix>_requests_total` and `<prefix>_request_duration_seconds` on the registry given,
 * for the API named `api` in their help ("Prometheus", "Loki").
 */
export function createApiMetrics(registry: Registry, prefix: string, api: string): QueryMetrics {
  const requests = new Counter({
    name: `${prefix}_requests_total`,
    help: `${api} API requests, by endpoint and HTTP status code.`,
    labelNames: ['endpoint', 'code'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: `${prefix}_request_duration_seconds`,
    help: `Time to answer a ${api} API request, by endpoint.`,
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

/** Requests and latency of the Prometheus API (vigil_query_*). */
export function createQueryMetrics(registry: Registry): QueryMetrics {
  return createApiMetrics(registry, 'vigil_query', 'Prometheus');
}

/** Requests and latency of the Loki API (vigil_loki_*). */
export function createLokiMetrics(registry: Registry): QueryMetrics {
  return createApiMetrics(registry, 'vigil_loki', 'Loki');
}
