import type { Labels, MetricMetadata, TimeSeries } from '../../core/index.js';
import { isStaleNaN } from '../../core/index.js';

/**
 * What the agent collects, written as OTLP/HTTP JSON request bodies (ExportMetricsServiceRequest,
 * ExportLogsServiceRequest): the standard format, so any OTLP receiver takes it, and Vigil's
 * receiver maps it back to exactly the Prometheus names and labels collected. The mapping the
 * receiver applies (OpenTelemetry's Prometheus compatibility rules) is the reason for the choices
 * below: `job`/`instance` travel as service.name/service.instance.id; counters are monotonic
 * cumulative sums whose names already end in `_total`; the unit is left empty so no suffix is
 * added; a staleness marker is a point flagged "no recorded value".
 */

type KeyValue = { key: string; value: { stringValue: string } };

const attributes = (labels: Readonly<Record<string, string>>): KeyValue[] => Object.entries(labels).map(([key, v]) => ({ key, value: { stringValue: v } }));

const FLAG_NO_RECORDED_VALUE = 1;

function jsonDouble(v: number): number | string {
  if (Number.isFinite(v)) return v;
  return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
}

const nanos = (ms: number): string => (BigInt(Math.round(ms * 1000)) * 1000n).toString();

/** Series (each with job and instance labels) and their families' metadata → ExportMetricsServiceRequest. */
export function metricsToOtlpJson(series: readonly TimeSeries[], metadata: readonly MetricMetadata[]): Record<string, unknown> {
  const types = new Map(metadata.map((m) => [m.metricFamilyName, m]));
  // resource (job, instance) → metric name → points
  const resources = new Map<string, { job: string; instance: string; metrics: Map<string, unknown[]> }>();
  for (const s of series) {
    const { __name__: name, job = '', instance = '', ...rest } = s.labels as Labels;
    if (name === undefined) continue;
    const rkey = `${job}\u0000${instance}`;
    let r = resources.get(rkey);
    if (r === undefined) resources.set(rkey, (r = { job, instance, metrics: new Map() }));
    let points = r.metrics.get(name);
    if (points === undefined) r.metrics.set(name, (points = []));
    const attrs = attributes(rest);
    for (const sample of s.samples) {
      points.push(isStaleNaN(sample.v) ? { attributes: attrs, timeUnixNano: nanos(sample.t), flags: FLAG_NO_RECORDED_VALUE } : { attributes: attrs, timeUnixNano: nanos(sample.t), asDouble: jsonDouble(sample.v) });
    }
  }
  return {
    resourceMetrics: [...resources.values()].map((r) => ({
      resource: { attributes: attributes({ 'service.name': r.job, 'service.instance.id': r.instance }) },
      scopeMetrics: [
        {
          scope: { name: 'vigil-agent' },
          metrics: [...r.metrics].map(([name, dataPoints]) => {
            const meta = types.get(name);
            const description = meta?.help ?? '';
            // A counter must keep its name: the receiver appends _total to monotonic sums that lack it.
            if (meta?.type === 'counter' && name.endsWith('_total')) return { name, description, unit: '', sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints } };
            return { name, description, unit: '', gauge: { dataPoints } };
          }),
        },
      ],
    })),
  };
}

/** One log line as the agent read it. */
export interface AgentLogEntry {
  /** When the line was written, if the format says (CRI, docker JSON); else when it was read. */
  readonly timeNs: bigint;
  readonly observedTimeNs: bigint;
  readonly body: string;
  /** Who wrote it: service.name (→ job), service.instance.id (→ instance), k8s.* … */
  readonly resource: Readonly<Record<string, string>>;
  /** About the line: log.file.path, log.iostream … */
  readonly attributes: Readonly<Record<string, string>>;
}

/** Log entries → ExportLogsServiceRequest, one resourceLogs per distinct resource. */
export function logsToOtlpJson(entries: readonly AgentLogEntry[]): Record<string, unknown> {
  const resources = new Map<string, { resource: Readonly<Record<string, string>>; records: unknown[] }>();
  for (const e of entries) {
    const key = JSON.stringify(e.resource);
    let r = resources.get(key);
    if (r === undefined) resources.set(key, (r = { resource: e.resource, records: [] }));
    r.records.push({ timeUnixNano: e.timeNs.toString(), observedTimeUnixNano: e.observedTimeNs.toString(), body: { stringValue: e.body }, attributes: attributes(e.attributes) });
  }
  return {
    resourceLogs: [...resources.values()].map((r) => ({
      resource: { attributes: attributes(r.resource) },
      scopeLogs: [{ scope: { name: 'vigil-agent' }, logRecords: r.records }],
    })),
  };
}
