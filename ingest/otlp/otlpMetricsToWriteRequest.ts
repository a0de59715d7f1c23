import type { MetricMetadata, MetricType, TimeSeries, WriteRequest } from '../../core/index.js';
import { quote, STALE_NAN } from '../../core/index.js';
import type { Rejections } from '../pipeline/rejections.js';
import { OtlpCursor } from './otlpCursor.js';
import { ATTRIBUTE_PAIRS, TIME_MS } from './otlpFastDecode.js';
import type { ResourceView } from './otlpLabels.js';
import { labelsFromPairs, readAttributePairs, readResource, resourceLabels, SERVICE_INSTANCE_ID, SERVICE_NAME, SERVICE_NAMESPACE } from './otlpLabels.js';
import type { OtlpObject } from './otlpValues.js';
import { hasOwn, readArray, readBool, readDouble, readEnum, readInt64AsNumber, readNanosAsMs, readObject, readString } from './otlpValues.js';
import type { PromMetricKind } from './promNames.js';
import { promMetricName } from './promNames.js';

/**
 * Maps an ExportMetricsServiceRequest (decoded from protobuf or parsed from OTLP JSON) to
 * Prometheus series, following the OpenTelemetry → Prometheus compatibility specification:
 *
 * - gauges → gauge; monotonic cumulative sums → counter `<name>_total`; non-monotonic
 *   cumulative sums → gauge;
 * - histograms → `_bucket{le}` (cumulative, ending in `+Inf`), `_sum` (when set), `_count`;
 * - summaries → `{quantile}` series, `_sum`, `_count`;
 * - delta temporality (sums, histograms), exponential histograms and points without a value are
 *   rejected as partial success with a message saying so, as Prometheus' own OTLP receiver does;
 * - points flagged "no recorded value" become Prometheus staleness markers (STALE_NAN) on every
 *   series the point maps to;
 * - resource `service.namespace/service.name` → `job`, `service.instance.id` → `instance`
 *   (they win over data point attributes of the same name); all other resource attributes go
 *   to one `target_info` gauge (value 1) per resource, at the resource's latest point time;
 * - data point attributes → labels (names sanitised, see promLabelName; keys colliding after
 *   sanitising have their values joined with `;`); scope is not a label.
 *
 * A body whose structure is wrong (a string where an array belongs, a bad integer) throws
 * VigilError('bad_data') naming the field; per-point problems go to `rejections`.
 */
export function otlpMetricsToWriteRequest(body: unknown, tenant: string, rejections: Rejections): WriteRequest {
  const mapper = new MetricsMapper(rejections);
  mapper.mapRequest(body);
  return { tenant, series: mapper.series, metadata: [...mapper.metadata.values()], logs: [], events: [] };
}

const TEMPORALITY_NAMES = ['AGGREGATION_TEMPORALITY_UNSPECIFIED', 'AGGREGATION_TEMPORALITY_DELTA', 'AGGREGATION_TEMPORALITY_CUMULATIVE'];
const CUMULATIVE = 2;
const FLAG_NO_RECORDED_VALUE = 1;
const SERVICE_KEYS: ReadonlySet<string> = new Set([SERVICE_NAME, SERVICE_NAMESPACE, SERVICE_INSTANCE_ID]);

class MetricsMapper {
  readonly series: TimeSeries[] = [];
  readonly metadata = new Map<string, MetricMetadata>();
  private readonly cur = new OtlpCursor();
  private resource: ResourceView = { job: undefined, instance: undefined, attributes: {} };
  private latestMs = -Infinity;

  constructor(private readonly rejections: Rejections) {}

  mapRequest(body: unknown): void {
    const cur = this.cur;
    const root = readObject(body, cur, '(root)');
    if (root === undefined) return cur.fail('(root)', 'an ExportMetricsServiceRequest object', body);
    const resourceMetrics = readArray(root.resourceMetrics, cur, 'resourceMetrics');
    for (let i = 0; i < resourceMetrics.length; i++) {
      cur.enter(0, 'resourceMetrics', i);
      const rm = readObject(resourceMetrics[i], cur, '') ?? {};
      this.resource = readResource(rm.resource, cur, 'resource');
      this.latestMs = -Infinity;
      const scopes = readArray(rm.scopeMetrics, cur, 'scopeMetrics');
      for (let j = 0; j < scopes.length; j++) {
        cur.enter(1, 'scopeMetrics', j);
        const sm = readObject(scopes[j], cur, '') ?? {};
        const metrics = readArray(sm.metrics, cur, 'metrics');
        for (let k = 0; k < metrics.length; k++) {
          cur.enter(2, 'metrics', k);
          this.mapMetric(readObject(metrics[k], cur, '') ?? {});
        }
      }
      cur.enter(0, 'resourceMetrics', i);
      this.addTargetInfo();
    }
  }

  private mapMetric(metric: OtlpObject): void {
    const cur = this.cur;
    const name = readString(metric.name, cur, 'name');
    const unit = readString(metric.unit, cur, 'unit');
    const help = readString(metric.description, cur, 'description');
    if (name.length === 0) {
      this.rejections.add('samples', 'invalid_point', this.pointCount(metric), `${cur.path()}: metric has no name`);
      return;
    }
    if (hasOwn(metric, 'gauge')) {
      const gauge = readObject(metric.gauge, cur, 'gauge') ?? {};
      cur.enter(3, 'gauge', -1);
      this.numberPoints(gauge.dataPoints, name, unit, help, 'gauge');
    } else if (hasOwn(metric, 'sum')) {
      const sum = readObject(metric.sum, cur, 'sum') ?? {};
      cur.enter(3, 'sum', -1);
      const monotonic = readBool(sum.isMonotonic, cur, 'isMonotonic');
      if (!this.cumulative(sum, name, 'sum')) return;
      this.numberPoints(sum.dataPoints, name, unit, help, monotonic ? 'counter' : 'gauge');
    } else if (hasOwn(metric, 'histogram')) {
      const histogram = readObject(metric.histogram, cur, 'histogram') ?? {};
      cur.enter(3, 'histogram', -1);
      if (!this.cumulative(histogram, name, 'histogram')) return;
      this.histogramPoints(histogram.dataPoints, name, unit, help);
    } else if (hasOwn(metric, 'summary')) {
      const summary = readObject(metric.summary, cur, 'summary') ?? {};
      cur.enter(3, 'summary', -1);
      this.summaryPoints(summary.dataPoints, name, unit, help);
    } else if (hasOwn(metric, 'exponentialHistogram')) {
      const eh = readObject(metric.exponentialHistogram, cur, 'exponentialHistogram') ?? {};
      cur.enter(3, 'exponentialHistogram', -1);
      const points = readArray(eh.dataPoints, cur, 'dataPoints').length;
      this.rejections.add('samples', 'unsupported', points, `metric ${quote(name)}: exponential histograms are not supported yet; configure the exporter for explicit-bucket histograms`);
    }
    // A metric without data carries nothing to store.
  }

  /** How many data points a metric carries, whatever its kind (for rejecting it whole). */
  private pointCount(metric: OtlpObject): number {
    for (const kind of ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary']) {
      if (!hasOwn(metric, kind)) continue;
      const data = readObject(metric[kind], this.cur, kind);
      return readArray(data?.dataPoints, this.cur, `${kind}.dataPoints`).length;
    }
    return 0;
  }

  /** Delta (or unspecified) temporality cannot become Prometheus series: reject its points. */
  private cumulative(data: OtlpObject, name: string, what: string): boolean {
    const temporality = readEnum(data.aggregationTemporality, this.cur, 'aggregationTemporality', TEMPORALITY_NAMES);
    if (temporality === CUMULATIVE) return true;
    const points = readArray(data.dataPoints, this.cur, 'dataPoints').length;
    const message =
      temporality === 1
        ? `metric ${quote(name)}: delta temporality ${what}s are not supported; export cumulative temporality (or use the collector's deltatocumulative processor)`
        : `metric ${quote(name)}: ${what} has no aggregation temporality`;
    this.rejections.add('samples', 'unsupported', points, message);
    return false;
  }

  private addMetadata(family: string, type: MetricType, unit: string, help: string): void {
    if (!this.metadata.has(family)) this.metadata.set(family, { metricFamilyName: family, type, unit, help });
  }

  /** Labels of one point without __name__: attributes, then job/instance from the resource. */
  private pointLabels(point: OtlpObject): Record<string, string> {
    const pairs = (point as { [ATTRIBUTE_PAIRS]?: string[] })[ATTRIBUTE_PAIRS] ?? readAttributePairs(point.attributes, this.cur, 'attributes');
    const labels = labelsFromPairs(pairs);
    if (this.resource.job !== undefined) labels.job = this.resource.job;
    if (this.resource.instance !== undefined) labels.instance = this.resource.instance;
    return labels;
  }

  /** A point flagged "no recorded value" marks the end of its series: Prometheus' staleness marker. */
  private isStale(point: OtlpObject): boolean {
    return (readEnum(point.flags, this.cur, 'flags') & FLAG_NO_RECORDED_VALUE) !== 0;
  }

  /** The point's time in whole milliseconds. */
  private pointTime(point: OtlpObject): number {
    const fast = (point as { [TIME_MS]?: number })[TIME_MS];
    const t = fast ?? readNanosAsMs(point.timeUnixNano, this.cur, 'timeUnixNano');
    if (t > this.latestMs) this.latestMs = t;
    return t;
  }

  private numberPoints(v: unknown, otelName: string, unit: string, help: string, kind: PromMetricKind): void {
    const cur = this.cur;
    const { name, unit: promUnit } = promMetricName(otelName, unit, kind);
    const points = readArray(v, cur, 'dataPoints');
    const before = this.series.length;
    for (let p = 0; p < points.length; p++) {
      cur.enter(4, 'dataPoints', p);
      const point = readObject(points[p], cur, '') ?? {};
      const t = this.pointTime(point);
      const stale = this.isStale(point);
      let value: number;
      if (stale) value = STALE_NAN;
      else if (hasOwn(point, 'asDouble')) value = readDouble(point.asDouble, cur, 'asDouble');
      else if (hasOwn(point, 'asInt')) value = readInt64AsNumber(point.asInt, cur, 'asInt');
      else {
        this.rejections.add('samples', 'invalid_point', 1, `${cur.path()} of metric ${quote(otelName)}: data point has neither asDouble nor asInt`);
        continue;
      }
      const labels = this.pointLabels(point);
      labels.__name__ = name;
      this.series.push({ labels, samples: [{ t, v: value }] });
    }
    if (this.series.length > before) this.addMetadata(name, kind, promUnit, help);
  }

  private histogramPoints(v: unknown, otelName: string, unit: string, help: string): void {
    const cur = this.cur;
    const { name, unit: promUnit } = promMetricName(otelName, unit, 'histogram');
    const points = readArray(v, cur, 'dataPoints');
    const before = this.series.length;
    for (let p = 0; p < points.length; p++) {
      cur.enter(4, 'dataPoints', p);
      const point = readObject(points[p], cur, '') ?? {};
      const t = this.pointTime(point);
      const stale = this.isStale(point);
      const counts = readArray(point.bucketCounts, cur, 'bucketCounts');
      const bounds = readArray(point.explicitBounds, cur, 'explicitBounds');
      if (counts.length > 0 && counts.length !== bounds.length + 1) {
        this.rejections.add(
          'samples',
          'invalid_point',
          1,
          `${cur.path()} of metric ${quote(otelName)}: ${counts.length} bucket counts for ${bounds.length} explicit bounds (expected ${bounds.length + 1})`,
        );
        continue;
      }
      const count = stale ? STALE_NAN : readInt64AsNumber(point.count, cur, 'count');
      const base = this.pointLabels(point);
      let cumulative = 0;
      for (let b = 0; b < bounds.length && counts.length > 0; b++) {
        cumulative += readInt64AsNumber(counts[b], cur, `bucketCounts[${b}]`);
        const le = readDouble(bounds[b], cur, `explicitBounds[${b}]`);
        this.series.push({ labels: { ...base, __name__: `${name}_bucket`, le: formatBound(le) }, samples: [{ t, v: stale ? STALE_NAN : cumulative }] });
      }
      this.series.push({ labels: { ...base, __name__: `${name}_bucket`, le: '+Inf' }, samples: [{ t, v: count }] });
      // `sum` is optional in the proto (absent when the measurements could be negative).
      if (hasOwn(point, 'sum') && point.sum !== null) {
        const sum = readDouble(point.sum, cur, 'sum');
        this.series.push({ labels: { ...base, __name__: `${name}_sum` }, samples: [{ t, v: stale ? STALE_NAN : sum }] });
      }
      base.__name__ = `${name}_count`;
      this.series.push({ labels: base, samples: [{ t, v: count }] });
    }
    if (this.series.length > before) this.addMetadata(name, 'histogram', promUnit, help);
  }

  private summaryPoints(v: unknown, otelName: string, unit: string, help: string): void {
    const cur = this.cur;
    const { name, unit: promUnit } = promMetricName(otelName, unit, 'summary');
    const points = readArray(v, cur, 'dataPoints');
    const before = this.series.length;
    for (let p = 0; p < points.length; p++) {
      cur.enter(4, 'dataPoints', p);
      const point = readObject(points[p], cur, '') ?? {};
      const t = this.pointTime(point);
      const stale = this.isStale(point);
      const base = this.pointLabels(point);
      const quantiles = readArray(point.quantileValues, cur, 'quantileValues');
      for (let q = 0; q < quantiles.length; q++) {
        const qv = readObject(quantiles[q], cur, `quantileValues[${q}]`) ?? {};
        const quantile = readDouble(qv.quantile, cur, `quantileValues[${q}].quantile`);
        const value = readDouble(qv.value, cur, `quantileValues[${q}].value`);
        this.series.push({ labels: { ...base, __name__: name, quantile: formatBound(quantile) }, samples: [{ t, v: stale ? STALE_NAN : value }] });
      }
      const sum = readDouble(point.sum, cur, 'sum');
      const count = readInt64AsNumber(point.count, cur, 'count');
      this.series.push({ labels: { ...base, __name__: `${name}_sum` }, samples: [{ t, v: stale ? STALE_NAN : sum }] });
      base.__name__ = `${name}_count`;
      this.series.push({ labels: base, samples: [{ t, v: stale ? STALE_NAN : count }] });
    }
    if (this.series.length > before) this.addMetadata(name, 'summary', promUnit, help);
  }

  /** One target_info series per resource that has attributes beyond the service ones. */
  private addTargetInfo(): void {
    if (this.latestMs === -Infinity) return;
    const labels = resourceLabels(this.resource, SERVICE_KEYS);
    if (Object.keys(labels).length === 0) return;
    if (this.resource.job !== undefined) labels.job = this.resource.job;
    if (this.resource.instance !== undefined) labels.instance = this.resource.instance;
    labels.__name__ = 'target_info';
    this.series.push({ labels, samples: [{ t: this.latestMs, v: 1 }] });
    this.addMetadata('target_info', 'gauge', '', 'Target metadata');
  }
}

/** Bucket bounds and quantiles as Prometheus writes them: "0.5", "1", "+Inf". */
function formatBound(x: number): string {
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  return String(x);
}
