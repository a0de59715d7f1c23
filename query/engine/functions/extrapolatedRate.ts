import type { Point } from '../types.js';

/**
 * rate, increase and delta as Prometheus 2.42's extrapolatedRate computes them over the points of
 * one series in the closed window [rangeStartMs, rangeEndMs]: the change between the first and
 * last point (for counters plus every value lost to a reset), extrapolated towards the window's
 * edges. Undefined (no output) below two points.
 *
 * Extrapolation, in 2.42's order (later releases swapped the first two steps):
 * 1. a counter is not extrapolated below zero: if the line through the points reaches zero
 *    closer to the first point than the window start, the start gap shrinks to that distance;
 * 2. a gap is extrapolated in full only if it is under 1.1× the average interval between points
 *    (the series probably covers it); otherwise by half an average interval (it probably starts
 *    or ends inside the window).
 */
export function extrapolatedRate(points: readonly Point[], rangeStartMs: number, rangeEndMs: number, isCounter: boolean, isRate: boolean): number | undefined {
  if (points.length < 2) return undefined;
  const first = points[0] as Point;
  const last = points[points.length - 1] as Point;

  let result = last.v - first.v;
  if (isCounter) {
    // A drop means the counter restarted from zero: what it had counted before is added back.
    for (let i = 1; i < points.length; i++) {
      const prev = (points[i - 1] as Point).v;
      if ((points[i] as Point).v < prev) result += prev;
    }
  }

  return extrapolate(result, first.t, first.v, last.t, points.length, rangeStartMs, rangeEndMs, isCounter, isRate);
}

/**
 * The same over columns, for the points lo..hi-1 of one series (the per-series path, see
 * rangeFunctionTypes.ts): the same operations in the same order, so the same digits.
 */
export function extrapolatedRateOf(t: Float64Array, v: Float64Array, lo: number, hi: number, rangeStartMs: number, rangeEndMs: number, isCounter: boolean, isRate: boolean): number | undefined {
  if (hi - lo < 2) return undefined;
  const firstV = v[lo] as number;
  let result = (v[hi - 1] as number) - firstV;
  if (isCounter) {
    for (let i = lo + 1; i < hi; i++) {
      const prev = v[i - 1] as number;
      if ((v[i] as number) < prev) result += prev;
    }
  }
  return extrapolate(result, t[lo] as number, firstV, t[hi - 1] as number, hi - lo, rangeStartMs, rangeEndMs, isCounter, isRate);
}

/** The change `result` between the first and last of `count` points, extrapolated towards the window's edges (steps 1 and 2 above). */
function extrapolate(result: number, firstT: number, firstV: number, lastT: number, count: number, rangeStartMs: number, rangeEndMs: number, isCounter: boolean, isRate: boolean): number {
  let durationToStart = (firstT - rangeStartMs) / 1000;
  const durationToEnd = (rangeEndMs - lastT) / 1000;
  const sampledInterval = (lastT - firstT) / 1000;
  const averageInterval = sampledInterval / (count - 1);

  if (isCounter && result > 0 && firstV >= 0) {
    const durationToZero = sampledInterval * (firstV / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }

  const threshold = averageInterval * 1.1;
  let extrapolateTo = sampledInterval;
  extrapolateTo += durationToStart < threshold ? durationToStart : averageInterval / 2;
  extrapolateTo += durationToEnd < threshold ? durationToEnd : averageInterval / 2;

  let factor = extrapolateTo / sampledInterval;
  if (isRate) factor /= (rangeEndMs - rangeStartMs) / 1000;
  return result * factor;
}
