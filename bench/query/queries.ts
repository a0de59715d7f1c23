/*
 * The four queries of issue #10, each with the samples it touches: the stored samples of the
 * series it selects that fall in the window it reads, i.e. [start - range (or lookback), end].
 * That is what a store must load at least once; Prometheus' own "samples" statistic counts a
 * sample again for every step whose window holds it, which says nothing about memory.
 */
import type { Family } from './data.js';
import { BUCKETS, samplesIn } from './data.js';

const MINUTE = 60_000;
const LOOKBACK_MS = 5 * MINUTE;

export interface BenchQuery {
  readonly label: string;
  readonly expr: string;
  readonly kind: 'instant' | 'range';
  readonly startMs: number;
  readonly endMs: number;
  readonly stepMs: number;
  readonly seriesSelected: number;
  readonly samplesTouched: number;
}

function touched(f: Family, series: number, startMs: number, endMs: number, windowMs: number): number {
  return series * samplesIn(f, startMs - windowMs, endMs);
}

export function benchQueries(fams: { cpu: Family; filesystem: Family; histogram: Family }, endMs: number, longSpanMs: number): BenchQuery[] {
  const { cpu, filesystem, histogram } = fams;
  const hourAgo = endMs - 60 * MINUTE;
  const bucketSeries = (histogram.seriesCount / (BUCKETS.length + 2)) * BUCKETS.length;
  const spanLabel = longSpanMs % (3600_000) === 0 ? `${longSpanMs / 3600_000} h` : `${longSpanMs / MINUTE} min`;
  return [
    {
      label: `selector, ${cpu.seriesCount} series, range 1 h step 60 s`,
      expr: 'node_cpu_seconds_total',
      kind: 'range',
      startMs: hourAgo,
      endMs,
      stepMs: MINUTE,
      seriesSelected: cpu.seriesCount,
      samplesTouched: touched(cpu, cpu.seriesCount, hourAgo, endMs, LOOKBACK_MS),
    },
    {
      label: `sum by (instance) rate 5m, ${cpu.seriesCount} series × ${spanLabel}, step 60 s`,
      expr: 'sum by (instance) (rate(node_cpu_seconds_total[5m]))',
      kind: 'range',
      startMs: endMs - longSpanMs,
      endMs,
      stepMs: MINUTE,
      seriesSelected: cpu.seriesCount,
      samplesTouched: touched(cpu, cpu.seriesCount, endMs - longSpanMs, endMs, 5 * MINUTE),
    },
    {
      label: `histogram_quantile, ${bucketSeries / BUCKETS.length} histograms, range 1 h step 60 s`,
      expr: 'histogram_quantile(0.9, rate(http_request_duration_seconds_bucket[5m]))',
      kind: 'range',
      startMs: hourAgo,
      endMs,
      stepMs: MINUTE,
      seriesSelected: bucketSeries,
      samplesTouched: touched(histogram, bucketSeries, hourAgo, endMs, 5 * MINUTE),
    },
    {
      label: `instant selector, ${filesystem.seriesCount} series`,
      expr: 'node_filesystem_avail_bytes',
      kind: 'instant',
      startMs: endMs,
      endMs,
      stepMs: 0,
      seriesSelected: filesystem.seriesCount,
      samplesTouched: touched(filesystem, filesystem.seriesCount, endMs, endMs, LOOKBACK_MS),
    },
  ];
}

/** The Prometheus HTTP API URL of `q` on `base` (Vigil and Prometheus answer the same URL). */
export function queryUrl(base: string, q: BenchQuery): string {
  const p = new URLSearchParams({ query: q.expr });
  if (q.kind === 'instant') {
    p.set('time', String(q.endMs / 1000));
    return `${base}/api/v1/query?${p}`;
  }
  p.set('start', String(q.startMs / 1000));
  p.set('end', String(q.endMs / 1000));
  p.set('step', String(q.stepMs / 1000));
  return `${base}/api/v1/query_range?${p}`;
}
