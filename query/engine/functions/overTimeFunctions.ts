import type { Point } from '../types.js';
import type { EvalValue } from '../values.js';
import { absentLabels } from './absentLabels.js';
import { matrixArg, perSeries, scalarArg, single, vectorResult } from './callArgs.js';
import type { CallContext, FunctionImpl } from './functionTypes.js';
import { kahanSumInc } from './kahanSum.js';
import { quantile } from '../quantile.js';

/** The `<aggregation>_over_time` functions: each series' points in the window reduced to one value. */
export const OVER_TIME_FUNCTIONS: ReadonlyMap<string, FunctionImpl> = new Map<string, FunctionImpl>([
  ['avg_over_time', overTime(average)],
  ['min_over_time', overTime(minimum)],
  ['max_over_time', overTime(maximum)],
  ['sum_over_time', overTime(sum)],
  ['count_over_time', overTime((points) => points.length)],
  // The only range function that keeps __name__ in 2.42: it acts like an offset.
  ['last_over_time', (args, ctx) => perSeries(matrixArg(args, 0), ctx, (points) => (points[points.length - 1] as Point).v, true)],
  ['present_over_time', overTime(() => 1)],
  ['stddev_over_time', overTime((points) => Math.sqrt(variance(points)))],
  ['stdvar_over_time', overTime(variance)],
  ['quantile_over_time', quantileOverTime],
  ['absent_over_time', absentOverTime],
]);

function overTime(reduce: (points: readonly Point[]) => number): FunctionImpl {
  return (args, ctx) => perSeries(matrixArg(args, 0), ctx, reduce);
}

/**
 * The mean as an incrementally updated average (no overflow of a large sum), compensated. Once
 * the mean is infinite, finite values and infinities of the same sign leave it as it is: the
 * update would compute Inf - Inf = NaN.
 */
function average(points: readonly Point[]): number {
  let mean = 0;
  let count = 0;
  let c = 0;
  for (const { v } of points) {
    count++;
    if (isInfinite(mean)) {
      if (isInfinite(v) && mean > 0 === v > 0) continue;
      if (Number.isFinite(v)) continue;
    }
    [mean, c] = kahanSumInc(v / count - mean / count, mean, c);
  }
  return isInfinite(mean) ? mean : mean + c;
}

function isInfinite(v: number): boolean {
  return v === Infinity || v === -Infinity;
}

/** min/max skip NaN unless every value is NaN (a NaN first value is replaced by the next). */
function minimum(points: readonly Point[]): number {
  let min = (points[0] as Point).v;
  for (const { v } of points) if (v < min || Number.isNaN(min)) min = v;
  return min;
}

function maximum(points: readonly Point[]): number {
  let max = (points[0] as Point).v;
  for (const { v } of points) if (v > max || Number.isNaN(max)) max = v;
  return max;
}

function sum(points: readonly Point[]): number {
  let total = 0;
  let c = 0;
  for (const { v } of points) [total, c] = kahanSumInc(v, total, c);
  // The compensation of an infinite sum is NaN (Inf - Inf): the sum alone is the answer.
  return isInfinite(total) ? total : total + c;
}

/** Population variance, by Welford's online algorithm with compensated sums. */
function variance(points: readonly Point[]): number {
  let count = 0;
  let mean = 0, cMean = 0, aux = 0, cAux = 0;
  for (const { v } of points) {
    count++;
    const delta = v - (mean + cMean);
    [mean, cMean] = kahanSumInc(delta / count, mean, cMean);
    [aux, cAux] = kahanSumInc(delta * (v - (mean + cMean)), aux, cAux);
  }
  return (aux + cAux) / count;
}

/** quantile_over_time(φ, v): φ is the first argument. */
function quantileOverTime(args: readonly EvalValue[], ctx: CallContext): EvalValue {
  const phi = scalarArg(args, 0);
  return perSeries(matrixArg(args, 1), ctx, (points) => quantile(phi, points.map((p) => p.v)));
}

/** 1 (with the selector's equality labels) when no series has a point in the window; nothing otherwise. */
function absentOverTime(args: readonly EvalValue[], ctx: CallContext): EvalValue {
  if (matrixArg(args, 0).some((s) => s.points.length > 0)) return vectorResult([]);
  return single(absentLabels(ctx.argExprs[0]), 1, ctx);
}
