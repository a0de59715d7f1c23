import type { SeriesSamples } from '../../storage/index.js';
import { isStaleNaN } from '../../core/index.js';
import type { MatrixSeries, Point, VectorElement } from './types.js';

/**
 * Evaluation of selectors over samples already read from a querier. Pure functions, so the
 * rules of lookback and staleness are tested without any store.
 *
 * Windows are left-open, as in Prometheus 3: an instant vector at t takes the latest sample
 * in (t - lookback, t]; a range vector at t takes every sample in (t - range, t].
 */

/** The value of one series at `t`: its latest sample in the lookback window, unless that sample is a staleness marker. */
export function valueAt(samples: SeriesSamples['samples'], t: number, lookbackMs: number): number | undefined {
  // Samples are sorted by time: binary search for the first one after t.
  let lo = 0;
  let hi = samples.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((samples[mid] as Point).t <= t) lo = mid + 1;
    else hi = mid;
  }
  const latest = samples[lo - 1];
  if (latest === undefined || latest.t <= t - lookbackMs || isStaleNaN(latest.v)) return undefined;
  return latest.v;
}

/** An instant vector at `t`: one element per series that has a current value. */
export function instantVector(series: readonly SeriesSamples[], t: number, lookbackMs: number): VectorElement[] {
  const out: VectorElement[] = [];
  for (const s of series) {
    const v = valueAt(s.samples, t, lookbackMs);
    if (v !== undefined) out.push({ labels: s.labels, t, v });
  }
  return out;
}

/** A range vector at `t`: the non-stale samples of each series in (t - range, t]; series without any are left out. */
export function rangeVector(series: readonly SeriesSamples[], t: number, rangeMs: number): MatrixSeries[] {
  const out: MatrixSeries[] = [];
  for (const s of series) {
    const points = s.samples.filter((p) => p.t > t - rangeMs && p.t <= t && !isStaleNaN(p.v));
    if (points.length > 0) out.push({ labels: s.labels, points });
  }
  return out;
}

/**
 * An instant vector evaluated at start, start + step, … ≤ end, one matrix series per input
 * series with a point for every step at which it had a current value. One pass per series:
 * the sample cursor only moves forward as the steps do.
 */
export function stepVector(series: readonly SeriesSamples[], startMs: number, endMs: number, stepMs: number, lookbackMs: number): MatrixSeries[] {
  const out: MatrixSeries[] = [];
  for (const s of series) {
    const samples = s.samples;
    const points: Point[] = [];
    let i = 0; // index of the first sample after the current step
    for (let t = startMs; t <= endMs; t += stepMs) {
      while (i < samples.length && (samples[i] as Point).t <= t) i++;
      const latest = samples[i - 1];
      if (latest === undefined || latest.t <= t - lookbackMs || isStaleNaN(latest.v)) continue;
      points.push({ t, v: latest.v });
    }
    if (points.length > 0) out.push({ labels: s.labels, points });
  }
  return out;
}
