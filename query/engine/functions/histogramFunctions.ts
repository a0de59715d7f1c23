import type { Labels } from '../../../core/index.js';
import type { VectorElement } from '../types.js';
import type { EvalValue } from '../values.js';
import { scalarArg, vectorArg, vectorResult } from './callArgs.js';
import type { CallContext, FunctionImpl } from './functionTypes.js';
import { goParseFloat } from './goParseFloat.js';

/**
 * Histogram functions. Vigil stores classic histograms only (one `_bucket` series per `le`);
 * histogram_count, histogram_sum and histogram_fraction read native histograms alone, so over
 * float series they return an empty vector, as Prometheus 2.42 does.
 */
export const HISTOGRAM_FUNCTIONS: ReadonlyMap<string, FunctionImpl> = new Map<string, FunctionImpl>([
  ['histogram_quantile', histogramQuantile],
  ['histogram_count', () => vectorResult([])],
  ['histogram_sum', () => vectorResult([])],
  ['histogram_fraction', () => vectorResult([])],
]);

interface Bucket {
  readonly upperBound: number;
  count: number;
}

/**
 * histogram_quantile(φ, buckets): the buckets of one histogram are the series that differ only
 * in `le` (`__name__` included in the grouping, dropped from the output with `le`). A series
 * without a parsable `le` is ignored.
 */
function histogramQuantile(args: readonly EvalValue[], ctx: CallContext): EvalValue {
  const phi = scalarArg(args, 0);
  const histograms = new Map<string, { labels: Labels; buckets: Bucket[] }>();
  for (const e of vectorArg(args, 1)) {
    const bucket = bucketOf(e.labels);
    if (bucket === undefined) continue;
    let h = histograms.get(bucket.key);
    if (h === undefined) {
      h = { labels: bucket.histogramLabels, buckets: [] };
      histograms.set(bucket.key, h);
    }
    h.buckets.push({ upperBound: bucket.le, count: e.v });
  }
  const out: VectorElement[] = [];
  for (const h of histograms.values()) out.push({ labels: h.labels, t: ctx.t, v: bucketQuantile(phi, h.buckets) });
  return vectorResult(out);
}

/** What a bucket series' labels say: its bound, its histogram's key and the histogram's output labels. */
interface BucketLabels {
  readonly le: number;
  readonly key: string;
  readonly histogramLabels: Labels;
}

// The same label object arrives at every step of a range query (selectors and functions reuse a
// series' labels), so its bound and key are worked out once, not once per step: at 1k histograms
// × 61 steps, doing it per step was most of the query's time. undefined = no parsable `le`.
const bucketMemo = new WeakMap<Labels, BucketLabels | null>();

function bucketOf(labels: Labels): BucketLabels | undefined {
  let memo = bucketMemo.get(labels);
  if (memo === undefined) {
    const le = Object.hasOwn(labels, 'le') ? goParseFloat(labels.le as string) : undefined;
    if (le === undefined) memo = null;
    else {
      const { le: _le, __name__: _name, ...rest } = labels;
      memo = { le, key: groupKey(labels), histogramLabels: Object.freeze(rest) };
    }
    bucketMemo.set(labels, memo);
  }
  return memo ?? undefined;
}

/** The labels without `le`, as an unambiguous key (JSON of sorted pairs). */
function groupKey(labels: Labels): string {
  const pairs = Object.entries(labels).filter(([n]) => n !== 'le');
  pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(pairs);
}

/**
 * The φ-quantile of one classic histogram, as 2.42's bucketQuantile: linear interpolation inside
 * the bucket where the rank falls, assuming observations spread evenly in it; the lowest bucket
 * starts at 0 unless its bound is ≤ 0 (then the bound is the answer), and a rank in the +Inf
 * bucket answers the highest finite bound.
 *
 * NaN when φ is NaN, without a +Inf bucket, with fewer than two distinct bounds, or without any
 * observation; -Inf/+Inf for φ < 0 / φ > 1. Buckets with the same bound are added together,
 * and counts that decrease with the bound (possible when buckets are scraped or aggregated at
 * slightly different moments) are raised to the highest count below them.
 */
export function bucketQuantile(phi: number, input: readonly Bucket[]): number {
  if (Number.isNaN(phi)) return NaN;
  if (phi < 0) return -Infinity;
  if (phi > 1) return Infinity;
  const sorted = input.map((b) => ({ ...b })).sort((a, b) => a.upperBound - b.upperBound);
  if ((sorted[sorted.length - 1] as Bucket).upperBound !== Infinity) return NaN;
  const buckets = coalesce(sorted);
  ensureMonotonic(buckets);
  if (buckets.length < 2) return NaN;

  const observations = (buckets[buckets.length - 1] as Bucket).count;
  if (observations === 0) return NaN;
  let rank = phi * observations;
  // The first bucket (the +Inf one excluded) whose cumulative count reaches the rank, found by
  // binary search as Go's sort.Search does (which matters only when a count is NaN).
  let b = 0;
  let hi = buckets.length - 1;
  while (b < hi) {
    const mid = (b + hi) >>> 1;
    if ((buckets[mid] as Bucket).count >= rank) hi = mid;
    else b = mid + 1;
  }

  if (b === buckets.length - 1) return (buckets[buckets.length - 2] as Bucket).upperBound;
  const bucket = buckets[b] as Bucket;
  if (b === 0 && bucket.upperBound <= 0) return bucket.upperBound;
  let bucketStart = 0;
  let count = bucket.count;
  if (b > 0) {
    const below = buckets[b - 1] as Bucket;
    bucketStart = below.upperBound;
    count -= below.count;
    rank -= below.count;
  }
  return bucketStart + (bucket.upperBound - bucketStart) * (rank / count);
}

function coalesce(sorted: Bucket[]): Bucket[] {
  const out: Bucket[] = [];
  for (const b of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && last.upperBound === b.upperBound) last.count += b.count;
    else out.push(b);
  }
  return out;
}

function ensureMonotonic(buckets: Bucket[]): void {
  let max = -Infinity;
  for (const b of buckets) {
    if (b.count > max) max = b.count;
    else if (b.count < max) b.count = max;
  }
}
