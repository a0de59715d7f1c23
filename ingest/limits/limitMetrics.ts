import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';

/** Reasons a per-tenant ingest limit refuses data; also the `reason` label of the metrics below. */
export type IngestLimitReason = 'ingest_rate' | 'per_tenant_active_series' | 'per_label_name_values';

export interface IngestLimitMetrics {
  /** A whole request was refused by a limit. */
  limitedRequest(tenant: string, reason: IngestLimitReason): void;
  /** `count` samples or log lines were refused by a limit (with or without the rest of their request). */
  limitedRecords(tenant: string, reason: IngestLimitReason, count: number): void;
  /** `count` samples of metric `metric` were refused by a cardinality limit: which exporter did it. */
  refusedByMetric(tenant: string, reason: IngestLimitReason, metric: string, count: number): void;
}

/**
 * Distinct metric names the by-metric counter labels; refusals of further names count under
 * metric="other", so that a flood of made-up metric names cannot grow /metrics without bound.
 */
const MAX_METRIC_LABELS = 1000;

/** Reuses a metric already on the registry (two pipelines may share one in tests). */
function once<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

/**
 * Per-tenant limit metrics. The tenant label is bounded by the tenants that send data (one per
 * token with authentication on), not by anything inside a request.
 */
export function createIngestLimitMetrics(registry: Registry, activeSeries: () => Iterable<[string, number]>): IngestLimitMetrics {
  const requests = once(
    registry,
    'vigil_ingest_limited_requests_total',
    () => new Counter({ name: 'vigil_ingest_limited_requests_total', help: 'Push requests refused whole by a per-tenant limit, by tenant and limit.', labelNames: ['tenant', 'reason'], registers: [registry] }),
  );
  const records = once(
    registry,
    'vigil_ingest_limited_records_total',
    () => new Counter({ name: 'vigil_ingest_limited_records_total', help: 'Samples and log lines refused by a per-tenant limit, by tenant and limit.', labelNames: ['tenant', 'reason'], registers: [registry] }),
  );
  const byMetric = once(
    registry,
    'vigil_ingest_cardinality_refused_samples_total',
    () =>
      new Counter({
        name: 'vigil_ingest_cardinality_refused_samples_total',
        help: `Samples of new series refused by a cardinality limit, by tenant, limit and metric name (the first ${MAX_METRIC_LABELS} names; later ones as "other").`,
        labelNames: ['tenant', 'reason', 'metric'],
        registers: [registry],
      }),
  );
  const metricLabels = new Set<string>();
  once(
    registry,
    'vigil_ingest_active_series',
    () =>
      new Gauge({
        name: 'vigil_ingest_active_series',
        help: 'Series each tenant sent within the active-series window (counts expired ones until the next purge).',
        labelNames: ['tenant'],
        registers: [registry],
        collect() {
          this.reset();
          for (const [tenant, n] of activeSeries()) this.set({ tenant }, n);
        },
      }),
  );
  return {
    limitedRequest: (tenant, reason) => requests.inc({ tenant, reason }),
    limitedRecords: (tenant, reason, count) => {
      if (count > 0) records.inc({ tenant, reason }, count);
    },
    refusedByMetric: (tenant, reason, metric, count) => {
      if (count <= 0) return;
      if (!metricLabels.has(metric) && metricLabels.size < MAX_METRIC_LABELS) metricLabels.add(metric);
      byMetric.inc({ tenant, reason, metric: metricLabels.has(metric) ? metric : 'other' }, count);
    },
  };
}
