import type { Labels } from '../../core/index.js';
import type { Expr } from '../promql/index.js';
import type { SampleBudget } from './sampleBudget.js';
import type { Steps } from './stepTimes.js';
import type { Queryable, VectorElement } from './types.js';

/**
 * A node's value over a whole pass of steps (see stepTimes.ts), like the Matrix Prometheus'
 * evaluator returns from every node: operators and functions still see one step at a time.
 */
export type StepValue =
  | { readonly kind: 'scalar'; readonly values: Float64Array }
  | { readonly kind: 'string'; readonly s: string }
  /** One instant vector per step; elements' t is the step's time (a selector under timestamp() keeps the sample's). */
  | { readonly kind: 'vector'; readonly steps: readonly (readonly VectorElement[])[] }
  /**
   * The same instant vector over a pass, series by series (what range functions and the simple
   * aggregations produce): no object per step per series. Consumers that work step by step turn
   * it into the 'vector' form with asPerStep() (seriesSteps.ts).
   */
  | { readonly kind: 'series'; readonly series: readonly SeriesColumn[] }
  | { readonly kind: 'matrix'; readonly windows: RangeWindows };

/**
 * One series' value at every step of a pass: `values[i]` counts only where `present[i]` is 1
 * (NaN is a legal value, so it cannot mark an absent step). Within one 'series' value the label
 * sets are distinct and every series is present at one step at least.
 */
export interface SeriesColumn {
  readonly labels: Labels;
  readonly values: Float64Array;
  readonly present: Uint8Array;
}

/**
 * One series' points as two columns of equal length, sorted by time: what the store hands over
 * and what range vectors keep for a whole pass, so that a window is a pair of indexes rather
 * than objects.
 */
export interface ColumnSeries {
  readonly labels: Labels;
  readonly timestamps: Float64Array;
  readonly values: Float64Array;
}

/**
 * A range vector over a pass: every series' points once (sorted, staleness markers already
 * dropped), and the closed window [startMs, endMs] that applies at each step.
 */
export interface RangeWindows {
  readonly series: readonly ColumnSeries[];
  bounds(step: number): { readonly startMs: number; readonly endMs: number };
}

/** What every node's evaluation shares within one query. */
export interface EvalContext {
  readonly queryable: Queryable;
  readonly signal: AbortSignal | undefined;
  readonly budget: SampleBudget;
  readonly lookbackDeltaMs: number;
  /** A subquery's step when written without one (`[5m:]`): Prometheus' global evaluation_interval. */
  readonly defaultSubqueryStepMs: number;
  /** What `@ start()` and `@ end()` stand for: the range query's start and end, or the instant query's time twice. */
  readonly queryStartMs: number;
  readonly queryEndMs: number;
}

/** Evaluates a sub-expression over a pass of steps: handed to the per-node evaluators so that they need not import the dispatcher. */
export type Evaluate = (expr: Expr, steps: Steps) => Promise<StepValue>;
