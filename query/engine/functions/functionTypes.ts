import type { Expr } from '../../promql/index.js';
import type { EvalValue } from '../values.js';

/**
 * What a function implementation knows besides its arguments, at one evaluation step.
 *
 * For a range-vector argument (a matrix selector or a subquery), the evaluator passes, for each
 * series, the points in the closed window [rangeStartMs, rangeEndMs] (Prometheus 2.42 includes a
 * sample at exactly rangeStartMs), already shifted by offset and `@`. rate/increase/delta
 * extrapolate to these bounds.
 */
export interface CallContext {
  /** The evaluation time of this step, in ms (the output elements' timestamp). */
  readonly t: number;
  /** For a range-vector argument: the window's bounds in ms (after offset and @); undefined otherwise. */
  readonly rangeStartMs?: number;
  readonly rangeEndMs?: number;
  /** The argument expressions as written: absent() and absent_over_time() derive labels from a selector's equality matchers. */
  readonly argExprs: readonly Expr[];
}

/**
 * One PromQL function: from its evaluated arguments (types as its signature in
 * query/promql/functions.ts says; optional arguments absent from `args` when not written) to a
 * vector (elements' `t` = ctx.t) or a scalar. Throws VigilError('execution', …) for a run-time
 * error Prometheus reports (e.g. label_replace's invalid target label), with Prometheus' message.
 *
 * Argument conventions (query/engine/functions/ relies on them):
 * - vector args arrive as {kind:'vector'}, matrix args as {kind:'matrix'} (per series, the points
 *   of the closed window, stale markers removed), scalars as {kind:'scalar'}, strings as
 *   {kind:'string'}; a series with no point in the window may be passed or left out (functions
 *   skip it, as Prometheus never calls them for one).
 * - timestamp(): for a plain vector selector argument, each element's `t` is the time of the
 *   sample found (Prometheus reports that, not the evaluation time); otherwise ctx.t.
 * - sort/sort_desc return elements in their order, which the evaluator keeps for instant queries.
 * - Functions do not check for duplicate label sets in their output (label_replace, the `__name__`
 *   drop): the evaluator raises "vector cannot contain metrics with the same labelset".
 */
// Range functions whose only argument is a range vector also have a per-series form, used by the
// evaluator for speed: RangeFunctionImpl in rangeFunctionTypes.ts. This one stays the reference.
export type FunctionImpl = (args: readonly EvalValue[], ctx: CallContext) => EvalValue;
