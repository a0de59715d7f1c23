/*
 * The bench's data: node_exporter-like series, generated deterministically so that Vigil's store
 * and Prometheus' TSDB receive exactly the same samples, and so two runs compare like with like.
 *
 * Every series of a family is scraped at the same times (start + k × interval, k < points), which
 * lets the bench count the samples a query touches from the shape alone (samplesIn).
 */
import type { Labels } from '../../core/index.js';
import { prng } from '../../test/support/index.js';

/** One series: values at start + k × intervalMs. */
export interface GeneratedSeries {
  readonly labels: Labels;
  readonly values: Float64Array;
}

export interface Family {
  /** What the family stands for, for the printed description. */
  readonly name: string;
  readonly seriesCount: number;
  readonly startMs: number;
  readonly intervalMs: number;
  readonly points: number;
  /** Series in a fixed order; each is built from its own seed, independent of the others. */
  series(): Iterable<GeneratedSeries>;
}

export interface Scale {
  readonly instances: number;
  /** CPUs per instance: node_cpu_seconds_total has instances × cpus × 5 modes series. */
  readonly cpus: number;
  /** node_filesystem_avail_bytes series per instance. */
  readonly filesystems: number;
  /** http_request_duration_seconds histograms per instance. */
  readonly handlers: number;
  /** How long the counters span before the end (the 24 h range query), ms. */
  readonly longSpanMs: number;
  readonly scrapeMs: number;
}

const MINUTE = 60_000;
const MODES = ['idle', 'iowait', 'irq', 'system', 'user'] as const;
/** Share of a CPU second each mode gets, roughly as on a busy host. */
const MODE_SHARE: Record<(typeof MODES)[number], number> = { idle: 0.6, iowait: 0.05, irq: 0.01, system: 0.09, user: 0.25 };
export const BUCKETS = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf'] as const;


/** Rounds to 1/1000: exposition values have few digits, and short text keeps the OpenMetrics file small. */
const milli = (x: number): number => Math.round(x * 1000) / 1000;

const instanceOf = (i: number): string => `host-${String(i).padStart(4, '0')}:9100`;

/**
 * node_cpu_seconds_total: counters that grow with jitter, a third of them reset once (a reboot),
 * spanning longSpanMs plus a little before it, so the first step of the 24 h query has a full 5 m window.
 */
function cpuFamily(scale: Scale, endMs: number): Family {
  const intervalMs = scale.scrapeMs;
  const points = Math.floor((scale.longSpanMs + 10 * MINUTE) / intervalMs) + 1;
  const startMs = endMs - (points - 1) * intervalMs;
  const seriesCount = scale.instances * scale.cpus * MODES.length;
  return {
    name: 'node_cpu_seconds_total (counters, resets, jitter)',
    seriesCount,
    startMs,
    intervalMs,
    points,
    *series() {
      for (let i = 0; i < seriesCount; i++) {
        const mode = MODES[i % MODES.length] as (typeof MODES)[number];
        const cpu = Math.floor(i / MODES.length) % scale.cpus;
        const inst = Math.floor(i / (MODES.length * scale.cpus));
        const rnd = prng(0xc0ffee ^ (i * 2654435761));
        const values = new Float64Array(points);
        const resetAt = rnd() < 1 / 3 ? Math.floor(rnd() * points) : -1;
        let v = rnd() * 1e6;
        const perSecond = MODE_SHARE[mode];
        for (let k = 0; k < points; k++) {
          v = k === resetAt ? rnd() * 10 : v + perSecond * (intervalMs / 1000) * (0.5 + rnd());
          values[k] = milli(v);
        }
        yield { labels: { __name__: 'node_cpu_seconds_total', job: 'node', instance: instanceOf(inst), cpu: String(cpu), mode }, values };
      }
    },
  };
}

/** node_filesystem_avail_bytes: gauges that drift, over the last 30 minutes (an instant query reads 5 of them). */
function filesystemFamily(scale: Scale, endMs: number): Family {
  const intervalMs = scale.scrapeMs;
  const points = Math.floor((30 * MINUTE) / intervalMs) + 1;
  const seriesCount = scale.instances * scale.filesystems;
  return {
    name: 'node_filesystem_avail_bytes (gauges)',
    seriesCount,
    startMs: endMs - (points - 1) * intervalMs,
    intervalMs,
    points,
    *series() {
      for (let i = 0; i < seriesCount; i++) {
        const fs = i % scale.filesystems;
        const inst = Math.floor(i / scale.filesystems);
        const rnd = prng(0xf11e ^ (i * 2246822519));
        const values = new Float64Array(points);
        let v = Math.round(rnd() * 5e11);
        for (let k = 0; k < points; k++) {
          v = Math.max(0, v + Math.round((rnd() - 0.55) * 1e7));
          values[k] = v;
        }
        const labels = { __name__: 'node_filesystem_avail_bytes', job: 'node', instance: instanceOf(inst), device: `/dev/vd${fs}`, mountpoint: `/mnt/vol${fs}`, fstype: 'ext4' };
        yield { labels, values };
      }
    },
  };
}

/**
 * http_request_duration_seconds: classic histograms (cumulative `le` buckets, _sum, _count) over
 * the last 70 minutes, for a 1 h histogram_quantile range query with full 5 m windows.
 */
function histogramFamily(scale: Scale, endMs: number): Family {
  const intervalMs = scale.scrapeMs;
  const points = Math.floor((70 * MINUTE) / intervalMs) + 1;
  const histograms = scale.instances * scale.handlers;
  return {
    name: `http_request_duration_seconds (${histograms} histograms × ${BUCKETS.length} buckets + _sum, _count)`,
    seriesCount: histograms * (BUCKETS.length + 2),
    startMs: endMs - (points - 1) * intervalMs,
    intervalMs,
    points,
    *series() {
      for (let h = 0; h < histograms; h++) {
        const rnd = prng(0x4157 ^ (h * 3266489917));
        const buckets = BUCKETS.map(() => new Float64Array(points));
        const sum = new Float64Array(points);
        const count = new Float64Array(points);
        // Each handler has its own typical latency: requests fall in buckets around it.
        const typical = 1 + Math.floor(rnd() * 6);
        const cumulative = new Float64Array(BUCKETS.length);
        let s = 0;
        for (let k = 0; k < points; k++) {
          const requests = Math.floor(rnd() * 200);
          for (let r = 0; r < requests; r += 10) {
            // Ten requests at a time keep generation cheap; the shape is what matters.
            const b = Math.min(BUCKETS.length - 1, Math.max(0, typical + Math.floor((rnd() - 0.5) * 4)));
            for (let j = b; j < BUCKETS.length; j++) cumulative[j] = (cumulative[j] as number) + 10;
            s += 10 * (b === BUCKETS.length - 1 ? 20 : Number(BUCKETS[b]) * 0.8);
          }
          for (let j = 0; j < BUCKETS.length; j++) (buckets[j] as Float64Array)[k] = cumulative[j] as number;
          sum[k] = milli(s);
          count[k] = cumulative[BUCKETS.length - 1] as number;
        }
        const base = { job: 'api', instance: instanceOf(Math.floor(h / scale.handlers)), handler: `/api/v${h % scale.handlers}` };
        for (const [j, le] of BUCKETS.entries()) {
          yield { labels: { __name__: 'http_request_duration_seconds_bucket', ...base, le }, values: buckets[j] as Float64Array };
        }
        yield { labels: { __name__: 'http_request_duration_seconds_sum', ...base }, values: sum };
        yield { labels: { __name__: 'http_request_duration_seconds_count', ...base }, values: count };
      }
    },
  };
}

export function families(scale: Scale, endMs: number): { cpu: Family; filesystem: Family; histogram: Family } {
  return { cpu: cpuFamily(scale, endMs), filesystem: filesystemFamily(scale, endMs), histogram: histogramFamily(scale, endMs) };
}

/** Samples of one series of `f` with a time in [fromMs, toMs]: Prometheus 2.42's windows are closed. */
export function samplesIn(f: Family, fromMs: number, toMs: number): number {
  const first = Math.max(0, Math.ceil((fromMs - f.startMs) / f.intervalMs));
  const last = Math.min(f.points - 1, Math.floor((toMs - f.startMs) / f.intervalMs));
  return Math.max(0, last - first + 1);
}
