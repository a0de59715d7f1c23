import type { AggregateOp } from '../../promql/index.js';
import type { SeriesColumn } from '../evalTypes.js';
import type { VectorElement } from '../types.js';
import { groupVector } from './grouping.js';

/** The aggregations computed series by series over a whole pass; the others work step by step (aggregate.ts). */
export type SeriesFoldOp = Extract<AggregateOp, 'sum' | 'avg' | 'count' | 'min' | 'max' | 'group'>;

export function isSeriesFoldOp(op: AggregateOp): op is SeriesFoldOp {
  return op === 'sum' || op === 'avg' || op === 'count' || op === 'min' || op === 'max' || op === 'group';
}

/**
 * `op by|without (grouping) (x)` over a pass of columnar series: each series' group is found
 * once (not once per step), then every group folds its members into one column, member by
 * member in series order, which is the order the per-step path meets them at each step, so that
 * each step does the same floating-point operations as fold() in foldAggregators.ts.
 * Groups come out in order of first appearance over the pass, where the per-step path orders
 * them by first appearance at each step: the two differ only at a step where a group's first
 * series is absent, and only order-sensitive consumers could tell (topk/bottomk ties, sort ties
 * within a range query).
 */
export function aggregateSeries(op: SeriesFoldOp, series: readonly SeriesColumn[], grouping: readonly string[], without: boolean, stepCount: number): SeriesColumn[] {
  // groupVector's rules (by, without, __name__) applied to one stand-in element per series, carrying its index.
  const standIns: VectorElement[] = series.map((s, k) => ({ labels: s.labels, t: 0, v: k }));
  return groupVector(standIns, grouping, without).map((g) => ({
    labels: g.labels,
    ...foldColumns(
      op,
      g.members.map((m) => series[m.v] as SeriesColumn),
      stepCount,
    ),
  }));
}

/** One group's members folded step by step into one column; a step with no member present stays absent. */
function foldColumns(op: SeriesFoldOp, members: readonly SeriesColumn[], stepCount: number): { values: Float64Array; present: Uint8Array } {
  const acc = new Float64Array(stepCount);
  const seen = new Float64Array(stepCount); // members present so far, per step
  for (const { values, present } of members) {
    for (let i = 0; i < stepCount; i++) {
      if (present[i] !== 1) continue;
      const v = values[i] as number;
      const n = (seen[i] as number) + 1;
      seen[i] = n;
      acc[i] = n === 1 ? v : foldStep(op, acc[i] as number, v, n);
    }
  }
  const present = new Uint8Array(stepCount);
  for (let i = 0; i < stepCount; i++) {
    if (seen[i] === 0) continue;
    present[i] = 1;
    if (op === 'count') acc[i] = seen[i] as number;
    else if (op === 'group') acc[i] = 1;
  }
  return { values: acc, present };
}

/** The running value after the n-th member's value v (n ≥ 2), as fold() reduces (count and group are settled at the end). */
function foldStep(op: SeriesFoldOp, acc: number, v: number, n: number): number {
  switch (op) {
    case 'sum':
      return acc + v;
    case 'min':
      // A NaN so far is replaced by the next value; a NaN arriving later never wins.
      return acc > v || Number.isNaN(acc) ? v : acc;
    case 'max':
      return acc < v || Number.isNaN(acc) ? v : acc;
    case 'avg': {
      // 2.42's running mean; an infinite mean stays put for a finite value or the same infinity.
      if (acc === Infinity || acc === -Infinity) {
        const sameInfinity = (v === Infinity || v === -Infinity) && acc > 0 === v > 0;
        if (sameInfinity || Number.isFinite(v)) return acc;
      }
      return acc + (v / n - acc / n);
    }
    case 'count':
    case 'group':
      return acc;
  }
}
