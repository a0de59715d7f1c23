import { VigilError } from '../../../core/index.js';
import type { Point } from '../types.js';
import type { EvalValue } from '../values.js';
import { matrixArg, perSeries, scalarArg } from './callArgs.js';
import { extrapolatedRate } from './extrapolatedRate.js';
import type { CallContext, FunctionImpl } from './functionTypes.js';
import { kahanSumInc } from './kahanSum.js';

/** Functions over the points of a range vector that look at how a series changes: rates, derivatives, counts of changes. */
export const RANGE_FUNCTIONS: ReadonlyMap<string, FunctionImpl> = new Map<string, FunctionImpl>([
  ['rate', (args, ctx) => rateLike(args, ctx, true, true)],
  ['increase', (args, ctx) => rateLike(args, ctx, true, false)],
  ['delta', (args, ctx) => rateLike(args, ctx, false, false)],
  ['irate', (args, ctx) => perSeries(matrixArg(args, 0), ctx, (p) => instantValue(p, true))],
  ['idelta', (args, ctx) => perSeries(matrixArg(args, 0), ctx, (p) => instantValue(p, false))],
  ['deriv', deriv],
  ['predict_linear', predictLinear],
  ['holt_winters', holtWinters],
  ['changes', (args, ctx) => perSeries(matrixArg(args, 0), ctx, changes)],
  ['resets', (args, ctx) => perSeries(matrixArg(args, 0), ctx, resets)],
]);

function rateLike(args: readonly EvalValue[], ctx: CallContext, isCounter: boolean, isRate: boolean): EvalValue {
  const { rangeStartMs, rangeEndMs } = windowOf(ctx);
  return perSeries(matrixArg(args, 0), ctx, (p) => extrapolatedRate(p, rangeStartMs, rangeEndMs, isCounter, isRate));
}

function windowOf(ctx: CallContext): { rangeStartMs: number; rangeEndMs: number } {
  if (ctx.rangeStartMs === undefined || ctx.rangeEndMs === undefined) {
    throw new VigilError('internal', 'a range-vector function was called without its window');
  }
  return { rangeStartMs: ctx.rangeStartMs, rangeEndMs: ctx.rangeEndMs };
}

/**
 * irate/idelta: the last two points only. irate treats a drop as a counter reset (the new value
 * is the increase) and divides by their distance; two points at the same time give nothing.
 */
function instantValue(points: readonly Point[], isRate: boolean): number | undefined {
  if (points.length < 2) return undefined;
  const last = points[points.length - 1] as Point;
  const previous = points[points.length - 2] as Point;
  const value = isRate && last.v < previous.v ? last.v : last.v - previous.v;
  const intervalMs = last.t - previous.t;
  if (intervalMs === 0) return undefined;
  return isRate ? value / (intervalMs / 1000) : value;
}

/** deriv: the least-squares slope per second; x is taken relative to the first point to keep precision (Prometheus issue 2674). */
function deriv(args: readonly EvalValue[], ctx: CallContext): EvalValue {
  return perSeries(matrixArg(args, 0), ctx, (points) => {
    if (points.length < 2) return undefined;
    return linearRegression(points, (points[0] as Point).t).slope;
  });
}

/** predict_linear(v, d): the regression line, anchored at the evaluation time, read d seconds later. */
function predictLinear(args: readonly EvalValue[], ctx: CallContext): EvalValue {
  const duration = scalarArg(args, 1);
  return perSeries(matrixArg(args, 0), ctx, (points) => {
    if (points.length < 2) return undefined;
    const { slope, intercept } = linearRegression(points, ctx.t);
    return slope * duration + intercept;
  });
}

/**
 * Simple linear regression with x in seconds from `interceptTimeMs`, sums compensated as in
 * 2.42. A constant series has slope 0 exactly (not 0/0), unless the constant is infinite.
 */
export function linearRegression(points: readonly Point[], interceptTimeMs: number): { slope: number; intercept: number } {
  let n = 0;
  let sumX = 0, cX = 0, sumY = 0, cY = 0, sumXY = 0, cXY = 0, sumX2 = 0, cX2 = 0;
  const initY = (points[0] as Point).v;
  let constY = true;
  for (const p of points) {
    if (constY && p.v !== initY) constY = false;
    n += 1;
    const x = (p.t - interceptTimeMs) / 1e3;
    [sumX, cX] = kahanSumInc(x, sumX, cX);
    [sumY, cY] = kahanSumInc(p.v, sumY, cY);
    [sumXY, cXY] = kahanSumInc(x * p.v, sumXY, cXY);
    [sumX2, cX2] = kahanSumInc(x * x, sumX2, cX2);
  }
  if (constY) {
    if (!Number.isFinite(initY) && !Number.isNaN(initY)) return { slope: NaN, intercept: NaN };
    return { slope: 0, intercept: initY };
  }
  sumX += cX;
  sumY += cY;
  sumXY += cXY;
  sumX2 += cX2;
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  const slope = covXY / varX;
  return { slope, intercept: sumY / n - (slope * sumX) / n };
}

/**
 * holt_winters(v, sf, tf): double exponential smoothing. Both factors must lie strictly between
 * 0 and 1; Prometheus checks them only when it has a series to smooth, so an empty range vector
 * gives no error.
 */
function holtWinters(args: readonly EvalValue[], ctx: CallContext): EvalValue {
  const series = matrixArg(args, 0);
  const sf = scalarArg(args, 1);
  const tf = scalarArg(args, 2);
  if (series.some((s) => s.points.length > 0)) {
    if (!(sf > 0 && sf < 1)) throw new VigilError('execution', `invalid smoothing factor. Expected: 0 < sf < 1, got: ${goFixed6(sf)}`);
    if (!(tf > 0 && tf < 1)) throw new VigilError('execution', `invalid trend factor. Expected: 0 < tf < 1, got: ${goFixed6(tf)}`);
  }
  return perSeries(series, ctx, (points) => {
    if (points.length < 2) return undefined;
    let s0 = 0;
    let s1 = (points[0] as Point).v;
    let trend = (points[1] as Point).v - s1;
    for (let i = 1; i < points.length; i++) {
      // The first step keeps the initial trend; later ones blend the last smoothed change into it.
      if (i > 1) trend = tf * (s1 - s0) + (1 - tf) * trend;
      const smoothed = sf * (points[i] as Point).v + (1 - sf) * (s1 + trend);
      s0 = s1;
      s1 = smoothed;
    }
    return s1;
  });
}

/** Go's `%f`: six decimals, and NaN/±Inf spelled as Go spells them. */
function goFixed6(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  return v.toFixed(6);
}

/** changes: how often the value differs from the previous one (NaN followed by NaN is no change). */
function changes(points: readonly Point[]): number {
  let count = 0;
  for (let i = 1; i < points.length; i++) {
    const prev = (points[i - 1] as Point).v;
    const cur = (points[i] as Point).v;
    if (cur !== prev && !(Number.isNaN(cur) && Number.isNaN(prev))) count++;
  }
  return count;
}

/** resets: how often the value drops (a counter reset). */
function resets(points: readonly Point[]): number {
  let count = 0;
  for (let i = 1; i < points.length; i++) if ((points[i] as Point).v < (points[i - 1] as Point).v) count++;
  return count;
}
