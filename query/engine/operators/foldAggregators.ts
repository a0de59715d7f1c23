import type { AggregateOp } from '../../promql/index.js';

/**
 * The aggregations that fold a group's values into one number, in input order and with the
 * same floating-point steps as Prometheus 2.42's aggregation(), so that rounding agrees too.
 */
export type FoldOp = Extract<AggregateOp, 'sum' | 'avg' | 'count' | 'min' | 'max' | 'group' | 'stddev' | 'stdvar'>;

export function isFoldOp(op: AggregateOp): op is FoldOp {
  return op !== 'topk' && op !== 'bottomk' && op !== 'quantile' && op !== 'count_values';
}

/** `values` is never empty: a group exists because an element fell into it. */
export function fold(op: FoldOp, values: readonly number[]): number {
  switch (op) {
    case 'sum':
      return values.reduce((sum, v) => sum + v);
    case 'avg':
      return incrementalMean(values);
    case 'count':
      return values.length;
    case 'group':
      return 1;
    case 'min':
      // A NaN so far is replaced by the next value; a NaN arriving later never wins.
      return values.reduce((min, v) => (min > v || Number.isNaN(min) ? v : min));
    case 'max':
      return values.reduce((max, v) => (max < v || Number.isNaN(max) ? v : max));
    case 'stdvar':
      return variance(values);
    case 'stddev':
      return Math.sqrt(variance(values));
  }
}

/**
 * 2.42's running mean: each step adds v/n - mean/n (divided first, so large values do not
 * overflow). Once the mean is infinite, a finite value or an infinity of the same sign leaves it
 * as it is (Inf - Inf would make it NaN); an infinity of the other sign or a NaN makes it NaN.
 */
function incrementalMean(values: readonly number[]): number {
  let mean = values[0] as number;
  for (let i = 1; i < values.length; i++) {
    const v = values[i] as number;
    const n = i + 1;
    if (mean === Infinity || mean === -Infinity) {
      const sameInfinity = (v === Infinity || v === -Infinity) && mean > 0 === v > 0;
      const finite = Number.isFinite(v);
      if (sameInfinity || finite) continue;
    }
    mean += v / n - mean / n;
  }
  return mean;
}

/** Welford's online variance (population), as Prometheus computes stdvar and stddev: 0 for one element. */
function variance(values: readonly number[]): number {
  let mean = values[0] as number;
  let squares = 0;
  for (let i = 1; i < values.length; i++) {
    const v = values[i] as number;
    const delta = v - mean;
    mean += delta / (i + 1);
    squares += delta * (v - mean);
  }
  return squares / values.length;
}
